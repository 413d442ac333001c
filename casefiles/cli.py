"""The command line: `casefiles …`. Every command calls the services; none holds a rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.markup import escape
from rich.table import Table

from casefiles.cli_audit import audit_app
from casefiles.cli_common import application as _app
from casefiles.cli_common import dump as _dump
from casefiles.cli_common import err, history_table, out
from casefiles.cli_common import ready as _ready
from casefiles.cli_inspection import inspection_app
from casefiles.cli_outbox import outbox_app
from casefiles.cli_report import report
from casefiles.cli_rules import calendar_app, calendar_gap, policy_app, start_up
from casefiles.domain.errors import CasefilesError, ScenarioError
from casefiles.domain.inspections import ACTIONS as INSPECTION_ACTIONS
from casefiles.domain.kinds import Role
from casefiles.domain.model import Person
from casefiles.domain.states import CaseState
from casefiles.domain.vocabulary import SECTORS
from casefiles.services.app import Casefiles

app = typer.Typer(help="casefiles：应急管理行政执法办案 / enforcement case engine",
                  no_args_is_help=True, pretty_exceptions_enable=False)
people_app = typer.Typer(help="人员 / people", no_args_is_help=True)
case_app = typer.Typer(help="案件 / cases", no_args_is_help=True)
app.add_typer(people_app, name="people")
app.add_typer(case_app, name="case")
app.add_typer(audit_app, name="audit")
app.add_typer(inspection_app, name="inspection")
app.add_typer(policy_app, name="policy")
app.add_typer(calendar_app, name="calendar")
app.add_typer(outbox_app, name="outbox")
app.command("report")(report)


@app.command()
def init(db: Annotated[str | None, typer.Option(help="database URL")] = None) -> None:
    """创建或升级数据库 / create or upgrade the database."""
    cf = _app(db)
    changed = cf.init()
    start_up(cf)
    out.print(f"数据库已就绪 / database ready: {cf.url}" + (" (updated)" if changed else ""))


@people_app.command("add")
def people_add(
    person_id: Annotated[str, typer.Argument(help="id, e.g. zhang")],
    name: Annotated[str, typer.Option(help="姓名")],
    role: Annotated[list[str], typer.Option(help="officer, reviewer, head, host, supervisor")],
    certificate: Annotated[str | None, typer.Option(help="执法证号")] = None,
    legal_qualification: Annotated[bool, typer.Option(help="法律职业资格")] = False,
    password: Annotated[bool, typer.Option(
        "--password",
        help="设置登录密码（隐藏输入；脚本用环境变量 CASEFILES_PASSWORD）")] = False,
) -> None:
    """添加或更新人员 / add or update a person."""
    import os

    password_hash = None
    if password:
        from casefiles.web.security import hash_password

        secret = os.environ.get("CASEFILES_PASSWORD") or typer.prompt(
            "密码 / password", hide_input=True, confirmation_prompt=True)
        if len(secret) < 8:
            err.print("[red]密码至少8位 / a password has at least 8 characters[/red]")
            raise typer.Exit(2)
        password_hash = hash_password(secret)
    cf = _ready()
    try:
        created = cf.put_person(Person(id=person_id, name=name, roles=cast(list[Role], role),
                                       certificate=certificate,
                                       legal_qualification=legal_qualification),
                                password_hash=password_hash)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    out.print(("已添加 / added " if created else "已更新 / updated ") + person_id
              + (" （已设置密码 / password set）" if password_hash else ""))


@people_app.command("deactivate")
def people_deactivate(
    person_id: Annotated[str, typer.Argument(help="id of the person who leaves")],
) -> None:
    """停用人员：不能再登录或办案，已登录的会话立即失效 / deactivate a person and end their
    sessions and tokens (their history stays)."""
    cf = _ready()
    try:
        cf.deactivate(person_id)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"已停用 / deactivated {escape(person_id)}")


@people_app.command("list")
def people_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """列出人员 / list people."""
    people = _ready().people()
    if as_json:
        _dump([p.__dict__ for p in people])
        return
    table = Table("id", "姓名", "角色", "执法证", "法律职业资格")
    for p in people:
        table.add_row(escape(p.id), escape(p.name), ", ".join(p.roles),
                      escape(p.certificate or ""),
                      "是" if p.legal_qualification else "")
    out.print(table)


@app.command()
def act(
    case: Annotated[str, typer.Argument(help="case id or number; 'new' for register")],
    action: Annotated[str, typer.Argument(help="register, file, record, propose, …")],
    by: Annotated[str, typer.Option("--by", help="person id")],
    with_: Annotated[str, typer.Option("--with", help="payload as JSON")] = "{}",
    expect_version: Annotated[int | None, typer.Option(help="refuse if the case moved on")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """执行一个办案操作 / take one action on a case."""
    from casefiles.domain.canonical import NotJSONError, strict_loads

    try:
        payload = strict_loads(with_)
    except NotJSONError as exc:
        err.print("[red]--with 不是有效的 JSON / --with is not valid JSON: "
                  f"{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    cf = _ready()
    try:
        if action in INSPECTION_ACTIONS:  # `case` names an inspection, 'new' for inspect
            from casefiles.services.inspections import act as inspection_act

            o = inspection_act(cf, by, action, None if case == "new" else case, payload,
                               expect_version)
        else:
            o = cf.act_local(by, action, None if case == "new" else case, payload,
                             expect_version)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        _dump({"result": o.result, "case": o.case_id, "code": o.code, "codes": o.codes,
               "message": o.message, "warnings": o.warnings, "state": o.state})
    elif o.ok:
        out.print(f"[green]✓ {action}[/green] {o.case_id} → {o.state}"
                  + (f" [yellow]warnings: {', '.join(o.warnings)}[/yellow]" if o.warnings else ""))
    else:
        out.print(f"[red]✗ {action} refused: {o.code}[/red]\n  {escape(o.message)}")
    raise typer.Exit(0 if o.ok else 1)


def _state_label(value: str) -> str:
    return f"{CaseState(value).label} ({value})"


@case_app.command("list")
def case_list(
    state: Annotated[str | None, typer.Option(help="filter by state")] = None,
    sector: Annotated[str | None, typer.Option(help="filter by sector")] = None,
    drills: Annotated[bool, typer.Option("--drills", help="include drills (演练)")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """列出案件（不含演练，除非 --drills）/ list cases (drills only with --drills)."""
    from casefiles.services.queries import list_cases

    rows = list_cases(_ready(), state=state, sector=sector, drills=drills)
    if as_json:
        _dump(rows)
        return
    table = Table("id", "案号", "状态", "行业", "当事人", "登记时间")
    for r in rows:
        table.add_row(r["id"][:8], r["number"] or "", _state_label(r["state"]),
                      SECTORS.get(r["sector"], r["sector"]),
                      escape(r["party"]), r["registered_at"][:16])
    out.print(table)


@case_app.command("show")
def case_show(case: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """案件视图 / the case view."""
    try:
        view = _ready().view(case)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        _dump(view)
        return
    out.print(f"[bold]{view['number'] or view['id']}[/bold]  {_state_label(view['state'])}  "
              f"{escape(view['party']['name'])}")
    out.print(f"flags: {view['flags']}  review: {view['review']['status']}  "
              f"hearing: {view['hearing']['status']}")
    out.print(f"amounts: {view['amounts']}")
    for kind, d in view["deadlines"].items():
        out.print(f"  {kind}: {d['due']} {d['status']}")
    for d in view["documents"]:
        stored = f"sha256 {d['sha256'][:12]}…" if d["sha256"] else "待生成 / not rendered yet"
        out.print(f"  📄 {d['kind']} {escape(d['number'])}  {stored}")
    if view["warnings"]:
        out.print(f"[yellow]warnings: {', '.join(view['warnings'])}[/yellow]")


@case_app.command("dossier")
def case_dossier(case: str) -> None:
    """案卷PDF的路径（尚未生成时现在生成）/ the path of the case file, built now if needed."""
    from casefiles.services.documents import dossier_path

    try:
        path = dossier_path(_ready(), case)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    out.print(str(path), soft_wrap=True)


@case_app.command("history")
def case_history(case: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """案件全过程记录 / the case's timeline."""
    try:
        entries = _ready().history(case)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        _dump([e.content() | {"hash": e.hash} for e in entries])
        return
    out.print(history_table(entries))


@app.command()
def deadlines(
    within: Annotated[int, typer.Option(help="days ahead")] = 14,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """将到期和已逾期的期限 / deadlines due soon or missed."""
    from casefiles.services.queries import upcoming_deadlines

    cf = _ready()
    calendar_gap(cf)
    rows = upcoming_deadlines(cf, within_days=within)
    from casefiles.services.inspections import upcoming

    inspections = upcoming(cf, within_days=within)
    if as_json:
        _dump(rows + inspections)
        return
    table = Table("案号", "期限", "到期日", "状态")
    for r in rows:
        style = "red" if r["status"] == "missed" else "yellow"
        table.add_row(r["number"] or r["case_id"][:8], r["kind"], r["due"],
                      f"[{style}]{r['status']}[/{style}]")
    for r in inspections:  # the inspections' rectification, recheck and seal deadlines
        style = "red" if r["status"] == "missed" else "yellow"
        table.add_row(r["number"], r["label"], r["due"], f"[{style}]{r['status']}[/{style}]")
    out.print(table)


@app.command()
def replay(
    files: Annotated[list[Path], typer.Argument(help="scenario YAML files")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    db: Annotated[str | None, typer.Option(help="database URL (cases accumulate)")] = None,
) -> None:
    """回放场景 / play scenario files through the services."""
    from casefiles.replay import load, run

    all_met = True
    for path in files:
        try:
            scenario = load(path)
        except ScenarioError as exc:
            err.print(escape(str(exc)))
            raise typer.Exit(2) from exc
        passed = failed = 0
        table = Table("#", "操作", "人员", "结果", "状态", "预期", "✓", title=str(path))
        for step, result in zip(scenario.steps, run(path, scenario, db), strict=True):
            line = result.line
            passed, failed = passed + result.met, failed + (not result.met)
            if as_json:
                _dump(line)
            else:
                shown = line["result"] + (f":{line['code']}" if line["code"] else "")
                expect = line["expected"] if isinstance(line["expected"], str) else "view"
                table.add_row(str(line["step"]), line["do"], step.by, shown,
                              line["state"] or "", expect, "✓" if result.met else "[red]✗[/red]")
        all_met = all_met and failed == 0
        if as_json:
            _dump({"file": str(path), "steps": passed + failed, "passed": passed,
                   "failed": failed})
        else:
            out.print(table)
            out.print(f"{passed} passed, {failed} failed")
    raise typer.Exit(0 if all_met else 1)


def _background_work(name: str, prefect: bool) -> dict[str, int]:
    """Run the sweep, the dispatch or the documents: as the service directly (a system
    timer), or as its Prefect flow run."""
    import asyncio
    from dataclasses import asdict

    if prefect:
        from flows.common import ItemsFailed
        from flows.dispatch import dispatch_flow
        from flows.documents import documents_flow
        from flows.sweep import sweep_flow

        flows: dict[str, Callable[..., Any]] = {
            "sweep": sweep_flow, "dispatch": dispatch_flow, "documents": documents_flow}
        flow_fn = flows[name]
        try:
            return dict(asyncio.run(flow_fn(database_url=_app().url)))
        except ItemsFailed as exc:  # the run ended Failed; what it did is still reported
            return dict(exc.report)
    from casefiles.services import work
    from casefiles.services.documents import render_pending

    services: dict[str, Callable[[Casefiles], Any]] = {
        "sweep": work.sweep, "dispatch": work.dispatch,
        "documents": lambda cf: render_pending(cf, batch=10_000)}
    service = services[name]
    return asdict(service(_ready()))


@app.command()
def sweep(
    prefect: Annotated[bool, typer.Option(help="run as a Prefect flow run")] = False,
) -> None:
    """每日期限巡查（供系统定时器调用）/ the daily deadline sweep, for a system timer."""
    report = _background_work("sweep", prefect)
    out.print(f"期限巡查 / sweep: {report['checked']} cases checked, "
              f"{report['missed']} deadlines newly missed")
    calendar_gap(_app())


@app.command()
def dispatch(
    prefect: Annotated[bool, typer.Option(help="run as a Prefect flow run")] = False,
) -> None:
    """处理操作留下的后续工作（公示、撤回公示）/ do the work actions left behind."""
    report = _background_work("dispatch", prefect)
    out.print(f"后续工作 / dispatch: {report['done']} done, {report['skipped']} no longer needed, "
              f"{report['failed']} failed")
    if report["failed"]:
        raise typer.Exit(1)


@app.command()
def documents(
    prefect: Annotated[bool, typer.Option(help="run as a Prefect flow run")] = False,
) -> None:
    """生成已签发文书的PDF（供系统定时器调用）/ render the issued documents not stored yet."""
    report = _background_work("documents", prefect)
    out.print(f"文书 / documents: {report['rendered']} rendered, {report['skipped']} already "
              f"stored, {report['failed']} failed")
    if report["failed"]:
        raise typer.Exit(1)


@app.command("serve-flows")
def serve_flows() -> None:
    """单机：在已启动的 Prefect 服务器上按计划运行流程 / one machine: serve the deployments
    of prefect.yaml on a running Prefect server (PREFECT_API_URL)."""
    from flows.deployments import NoServer
    from flows.serve import main

    try:
        main()
    except NoServer as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc


@app.command()
def deploy(
    notify: Annotated[str | None, typer.Option(
        envvar="CASEFILES_NOTIFY_URL",
        help="运行失败或崩溃时调用的通知地址（webhook）/ webhook called when a run fails or "
             "crashes")] = None,
) -> None:
    """多机：创建工作池 casefiles 并登记 prefect.yaml 中的部署，再在各机器上运行
    `prefect worker start --pool casefiles` / several machines: create the process work pool
    `casefiles` and register the deployments of prefect.yaml (`prefect deploy --all`)."""
    from flows.deployments import NoServer, register

    try:
        names = register(notify)
    except NoServer as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    except RuntimeError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(1) from exc
    out.print(f"已登记 {len(names)} 个部署到工作池 casefiles：{'、'.join(names)} / registered in "
              "work pool casefiles. 在每台机器上 / on each machine: "
              "`CASEFILES_HOME=<casefiles 目录> prefect worker start --pool casefiles`")


@app.command()
def demo() -> None:
    """演示：四个行业的样例案件 / play the sample cases of every sector."""
    from casefiles.demo import run_demo

    raise typer.Exit(run_demo(out))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="server processes")] = 1,
) -> None:
    """网页与 JSON API / serve the web application and the JSON API (uvicorn)."""
    import uvicorn

    from casefiles.web import create_app
    from casefiles.web.security import secret_key

    cf = _ready()
    start_up(cf)
    out.print(f"casefiles web: http://{host}:{port}/  (API: /api/openapi.json)")
    # uvicorn would believe X-Forwarded-For from 127.0.0.1: only the named proxies are trusted
    proxies = cf.settings.trusted_proxies.strip()
    forwarded: dict[str, Any] = {"proxy_headers": bool(proxies),
                                 "forwarded_allow_ips": proxies or None}
    if workers == 1:
        uvicorn.run(create_app(cf), host=host, port=port, log_level="info", **forwarded)
        return
    secret_key(cf.settings)  # made once here, so that every worker signs with the same key
    uvicorn.run("casefiles.web.app:app_from_settings", factory=True, workers=workers,
                host=host, port=port, log_level="info", **forwarded)
