"""planbot's HTTP side: the server for the Telegram webhook, /healthz and /metrics (server.py)
and what /healthz and /metrics report (metrics.py)."""
