"""The load test's printed report: per stage, per configuration, p95 per page, the outbox backlog (bench/load/run.py)."""

from __future__ import annotations

import os


def report(runs: list[dict], args) -> None:
    print(f"\nMachine: {os.cpu_count()} cores, load average now {os.getloadavg()[0]:.1f} (shared with other work).")
    print("cores busy = CPU-seconds per second of each component during the stage; rps/core = requests per CPU-second")
    print("of the gunicorn workers; excl.login: the same without the log-ins (each costs one password hash,")
    print(
        f"{runs[0]['login_cpu_s'] * 1000:.0f} ms of CPU here); rps/(web+db) core adds the PostgreSQL backends serving them.\n"
    )
    head = (
        f"{'config':7} {'users':>5} {'req/s':>7} {'rps/core':>8} {'excl.login':>10} {'rps/(web+db)':>12} {'err %':>6} {'p95 ms':>7} "
        f"{'web':>5} {'db':>5} {'outbox':>6} {'lrs':>5} {'locust':>6} {'stmt/s':>7} {'sent/s':>7} {'backlog max/end':>15}"
    )
    print(head)
    print("-" * len(head))
    for run in runs:
        for s in run["stages"]:
            c = s["cores_busy"]
            print(
                f"{run['config']:7} {s['users']:>5} {s['rps']:>7.1f} {s['rps_per_web_core'] or 0:>8.1f} "
                f"{s['pages_per_web_core'] or 0:>10.1f} "
                f"{s['rps_per_web_db_core'] or 0:>12.1f} {100 * s['error_rate']:>6.2f} {s['p95_ms'] or 0:>7.0f} "
                f"{c['web']:>5.2f} {c['postgres']:>5.2f} {c['outbox']:>6.2f} {c['lrs']:>5.2f} {c['locust']:>6.2f} "
                f"{s['statements_per_s']:>7.1f} {s['delivered_per_s']:>7.1f} "
                f"{str(s['backlog_max']) + ' / ' + str(s['backlog_end']):>15}"
            )
        print(f"{'':7} outbox empty {run['drained_after_s']} s after the load stopped" if run["drained_after_s"]
              is not None else f"{'':7} outbox NOT empty {args.drain_seconds} s after the load stopped")  # fmt: skip
    print("\nWhole run per configuration (all stages): CPU per request, log-ins apart; statements per request:")
    for run in runs:
        w = run["whole"]
        print(
            f"  {run['config']}: {w['requests']} requests ({w['logins']} log-ins, {w['failures']} failed), "
            f"web {w['web_ms_per_request']:.0f} ms CPU/request, PostgreSQL {w['db_ms_per_request']:.0f} ms CPU/request, "
            f"{w['statements_per_request']:.2f} statements/request"
        )
    print("\np95 per page (ms), per configuration and number of users:")
    columns = [(run["config"], s) for run in runs for s in run["stages"]]
    pages = sorted({p for _c, s in columns for p in s["pages"]})
    print(f"{'page':26}" + "".join(f"{c + '/' + str(s['users']):>10}" for c, s in columns))
    for page in pages:
        cells = "".join(
            f"{s['pages'][page]['p95_ms']:>10.0f}" if page in s["pages"] else f"{'-':>10}" for _c, s in columns
        )
        print(f"{page:26}{cells}")
    print("\nOutbox backlog over time (seconds since the configuration started: statements waiting):")
    for run in runs:
        points = run["backlog"][:: max(1, len(run["backlog"]) // 16)]
        print(f"  {run['config']}: " + "  ".join(f"{t}s:{b}" for t, b in points))
    errors = [(run["config"], e) for run in runs for s in run["stages"] for e in s["errors"]]
    if errors:
        print("\nErrors:")
        for config, e in errors[:20]:
            print(f"  {config} {e['name']}: {e['error']} ×{e['occurrences']}")
