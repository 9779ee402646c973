"""`planbot import FILE` from a shell."""

import asyncio
import json
from pathlib import Path

from bot.cli.main import main
from bot.sandbox import Sandbox

FIXTURES = Path(__file__).parents[1] / "fixtures"
SAMPLE = FIXTURES / "jingzhou-2020-09-summary-10-plan.txt"


def _config(tmp_path: Path) -> str:
    path = tmp_path / "planbot.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "p.db"}"\n', encoding="utf-8")
    return str(path)


def test_dry_run_json_prints_exactly_the_documented_shape(tmp_path, capsys):
    assert main(["import", str(SAMPLE), "--dry-run", "--json", "--config", _config(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"year", "month", "quarter", "whole_year", "title", "items", "warnings"}
    assert (data["year"], data["month"], data["quarter"], data["whole_year"]) == (
        2020,
        10,
        None,
        False,
    )
    assert len(data["items"]) == 10
    assert set(data["items"][0]) == {
        "seq",
        "title",
        "leaders",
        "departments",
        "partners",
        "deadline",
        "deadline_text",
    }
    # Both written under 责任部室: both responsible, neither a partner.
    assert data["items"][3]["departments"] == ["组织部", "工业制造业工会联合会"]
    assert data["items"][3]["partners"] == []
    assert data["items"][9]["leaders"] == ["董军"]
    assert {item["deadline"] for item in data["items"]} == {"2020-10-31"}
    assert not (tmp_path / "p.db").exists(), "a dry run writes nothing"


def test_dry_run_json_says_a_yearly_plan_is_the_years(tmp_path, capsys):
    path = FIXTURES / "plans" / "yearly-task-breakdown-intro-goals.txt"
    assert main(["import", str(path), "--dry-run", "--json", "--config", _config(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["year"], data["month"], data["quarter"], data["whole_year"]) == (
        2023,
        None,
        None,
        True,
    )
    assert "没有找到计划月份" not in data["warnings"]


def test_year_and_month_options_override_the_document(tmp_path, capsys):
    args = ["import", str(SAMPLE), "--dry-run", "--json", "--year", "2021", "--month", "10"]
    assert main([*args, "--config", _config(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2021 and data["items"][0]["deadline"] == "2021-10-31"


def test_store_then_import_again_reports_no_change(tmp_path, capsys):
    config = _config(tmp_path)
    args = ["import", str(SAMPLE), "--chat", "-1001", "--new-chat", "--config", config]
    assert main(args) == 0
    assert "已导入 2020年10月 计划，共 10 项（新增 10 项" in capsys.readouterr().out
    assert main(["import", str(SAMPLE), "--chat", "-1001", "--config", config]) == 0
    out = capsys.readouterr().out
    assert "已有 2020年10月 的计划" in out and "没有变化" in out


def test_a_gbk_file_is_read(tmp_path, capsys):
    assert main(["import", str(FIXTURES / "plan-gbk.txt"), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["items"] and all("\ufffd" not in item["title"] for item in data["items"])


def test_refusals_exit_1_with_one_sentence(tmp_path, capsys):
    doc = tmp_path / "plan.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    assert main(["import", str(doc), "--dry-run"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "无法直接读取 .doc 文件：请另存为 .docx/.xlsx 后再发送，或直接粘贴文字。"


def test_storing_needs_a_chat(tmp_path, capsys):
    assert main(["import", str(SAMPLE), "--config", _config(tmp_path)]) == 2
    assert "--chat" in capsys.readouterr().err


def test_a_table_with_an_unknown_header_names_it_on_stderr(tmp_path, capsys):
    path = tmp_path / "计划.htm"
    path.write_text(
        "<h1>2023年10月工作计划</h1><table><tr><th>事情</th><th>经办&lt;人&gt;</th></tr>"
        "<tr><td>修缮屋顶</td><td>张三</td></tr></table>",
        encoding="utf-8",
    )
    assert main(["import", str(path), "--dry-run", "--config", _config(tmp_path)]) == 1
    assert "找到的表头是“事情｜经办<人>”" in capsys.readouterr().err


def test_a_text_dry_run_names_the_title_and_period_first(tmp_path, capsys):
    assert main(["import", str(SAMPLE), "--dry-run", "--config", _config(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "荆州市总工会十月份工作计划（2020年10月，共 10 项）"
    assert lines[1].startswith("1. 扎实开展")


TOKEN = "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


async def test_chat_must_be_known_or_confirmed_by_telegram(tmp_path, capsys, monkeypatch):
    path = tmp_path / "planbot.toml"

    async def run(chat: int, *more: str) -> int:
        # In a thread: the sandbox it asks runs in this test's event loop.
        args = ["import", str(SAMPLE), "--chat", str(chat), *more, "--config", str(path)]
        return await asyncio.to_thread(main, args)

    monkeypatch.setenv("PLANBOT_TOKEN", TOKEN)
    async with Sandbox(token=TOKEN) as sandbox:
        group = sandbox.add_chat("supergroup", title="荆州市总工会工作群")
        path.write_text(
            f'[telegram]\nbase_url = "{sandbox.base_url}"\n'
            f'[database]\nurl = "sqlite:///{tmp_path / "p.db"}"\n',
            encoding="utf-8",
        )
        # Nobody has written in the group yet, but the bot is in it: Telegram confirms it.
        assert await run(group.id) == 0
        assert "已导入 2020年10月 计划" in capsys.readouterr().out
        assert len(sandbox.calls_to("getChat")) == 1

        # A mistyped id: neither the database nor Telegram knows it.
        assert await run(12345) == 1
        printed = capsys.readouterr()
        assert printed.out == ""
        assert printed.err.startswith("planbot import: no group with Telegram id 12345")
        assert f"  {group.id}  荆州市总工会工作群" in printed.err
        assert "/id" in printed.err and "--new-chat" in printed.err

        # --new-chat asks nobody.
        assert await run(12345, "--new-chat") == 0
        assert len(sandbox.calls_to("getChat")) == 2
        capsys.readouterr()

    # A group the database knows needs no network (the sandbox is gone).
    monkeypatch.delenv("PLANBOT_TOKEN")
    assert await run(group.id) == 0
    assert "没有变化" in capsys.readouterr().out
    assert await run(-999) == 1
    assert "no bot token to ask Telegram" in capsys.readouterr().err
