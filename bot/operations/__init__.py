"""What a change to an item means, in one place: the operations the chat and the command line
call (parse → call one operation → render).

Each operation is one function taking plain arguments — who (`Actor`), where they wrote
(`Origin`), which item (`Target`), what — and runs in one unit of work: it finds the group and
the item, checks that the actor may, changes the rows, re-plans the item's reminders, and
commits, all in one transaction. It returns a result the caller renders; it never talks to
Telegram. Imports point one way: bot/handlers and bot/cli → bot/operations → jobs → storage.

Who is a group's Telegram administrator is Telegram's to say, and asking it inside a
transaction would hold SQLite's write lock across a network call. So an operation that needs
an admin and was not told whether the actor is one returns `NeedsAdmin`, and the caller asks
Telegram and calls again (bot/chat/acting.py): one transaction for leaders and configured admins,
two for a group administrator not asked in the last few minutes.
"""
