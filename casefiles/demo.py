"""`casefiles demo`: the bureau's sample cases (``demo_cases/*.yaml``), one or more for each
sector it supervises, played through the same service layer as `casefiles replay` into one
fresh database; then the flows' work (outbox dispatch, deadline sweep) on the simulated clock,
the audit of every history chain, and a summary in Chinese for the bureau head.

Money is summed in integer fen from the case records and shown as exact yuan."""

from __future__ import annotations

import tempfile
import time as wallclock
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from casefiles.clock import SimulatedClock
from casefiles.domain.documents import DOSSIER
from casefiles.domain.effects import fine_balance
from casefiles.domain.errors import ScenarioError
from casefiles.domain.inspections import STATE_LABELS as INSPECTION_STATES
from casefiles.domain.model import Case
from casefiles.domain.money import to_yuan
from casefiles.domain.policy import RuleSet
from casefiles.domain.states import CaseState
from casefiles.domain.timefmt import SHANGHAI, local_date
from casefiles.domain.vocabulary import ACTIONS, DEADLINES, REFUSALS, SECTORS, WARNINGS
from casefiles.replay import load, run
from casefiles.scenario import Scenario
from casefiles.services.app import SYSTEM_PERSON, Casefiles
from casefiles.services.audit import AuditReport, verify_all
from casefiles.services.documents import render_pending
from casefiles.services.work import dispatch, sweep
from casefiles.settings import Settings

DEMO_CASES = Path(__file__).parent / "demo_cases"

@dataclass
class CaseRun:
    """How one sample case went: its steps, the refusals and warnings it met, where it ended."""

    name: str
    sector: str
    steps: int = 0
    state: str | None = None
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _data_dir(settings: Settings) -> Path:
    """``$CASEFILES_DATA_DIR/demo`` with a fresh database, else a temporary folder. The demo's
    documents and evidence live there too, so `CASEFILES_DATA_DIR=data/demo casefiles ...`
    looks at the demo as a bureau would look at its own data."""
    folder = settings.data_dir / "demo"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (folder / f"casefiles.db{suffix}").unlink(missing_ok=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="casefiles-demo-"))
    return folder.resolve()


def _latest(scenario: Scenario) -> datetime:
    return max([scenario.start] + [s.at for s in scenario.steps if s.at is not None])


def _cases_of(scenario: Scenario) -> dict[str, CaseRun]:
    runs: dict[str, CaseRun] = {}
    for step in scenario.steps:
        if step.do == "register" and step.case and step.case not in runs \
                and isinstance(step.with_, dict):
            party = step.with_.get("party") or {}
            runs[step.case] = CaseRun(str(party.get("name", step.case)),
                                      str(step.with_.get("sector", "other")))
        if step.do == "inspect" and step.inspection and isinstance(step.with_, dict):
            unit = step.with_.get("unit") or {}  # an inspection (SPEC §6), shown as its unit's
            runs[f"inspection:{step.inspection}"] = CaseRun(f"现场检查：{unit.get('name', step.inspection)}",
                                            str(step.with_.get("sector", "other")))
    return runs


def play(path: Path, url: str, settings: Settings) -> tuple[list[CaseRun], datetime]:
    """Replay one sample file into ``url``; what each of its cases came to, and its last time."""
    scenario = load(path)
    runs = _cases_of(scenario)
    results = run(path, scenario, url, settings)
    for n, step in enumerate(scenario.steps, start=1):
        # an inspection's steps count as its own, apart from a case of the same name
        name = step.case or f"inspection:{step.inspection}"
        case = runs.setdefault(name, CaseRun(name, "other"))
        try:
            result = next(results)
        except Exception as exc:  # noqa: BLE001  (an engine error is a failed step, not a crash)
            case.failures.append(f"第{n}步 {ACTIONS.get(step.do, step.do)}：执行出错 {exc!r}")
            break
        line = result.line
        case.steps += 1
        case.state = line["state"] or case.state
        what = ACTIONS.get(step.do, step.do)
        if not result.met:
            expected = line["expected"] if isinstance(line["expected"], str) else "view"
            actual = line["result"] + (f":{line['code']}" if line["code"] else "")
            case.failures.append(f"第{n}步 {what}：预期 {expected}，实际 {actual} "
                                 f"{line.get('message') or ''}")
        elif line["result"] == "refused":
            code = line["code"]
            case.notes.append(f"[red]拒绝[/red]｜{what}：{REFUSALS.get(code, code)}（{code}）")
        for w in line["warnings"]:
            case.notes.append(f"[yellow]提示[/yellow]｜{what}：{WARNINGS.get(w, w)}（{w}）")
    return list(runs.values()), _latest(scenario)


def _print_case(console: Console, case: CaseRun) -> None:
    states = {s.value: s.label for s in CaseState} | INSPECTION_STATES
    state = states.get(case.state, case.state) if case.state else "未登记"
    mark = "[green]✓[/green]" if not case.failures else "[red]✗[/red]"
    verdict = "均符合预期" if not case.failures else f"，{len(case.failures)}步不符合预期"
    console.print(f"  {mark} {SECTORS.get(case.sector, case.sector)}｜{escape(case.name)}｜"
                  f"{case.steps}步{verdict} → {state}")
    for note in case.notes:
        console.print(f"      {note}")
    for failure in case.failures:
        console.print(f"      [red]✗ {escape(failure)}[/red]")


@dataclass
class Figures:
    """What the summary reports, gathered from the case records and their history."""

    sectors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    penalty_decisions: int = 0
    no_penalty_decisions: int = 0
    revoked: int = 0
    fine: int = 0
    revoked_fine: int = 0
    paid_fine: int = 0
    surcharge: int = 0
    paid_surcharge: int = 0
    outstanding: int = 0
    overdue: int = 0
    reviews: Counter[str] = field(default_factory=Counter)
    hearings: Counter[str] = field(default_factory=Counter)
    waivers: int = 0
    discussions: int = 0
    published: int = 0
    withdrawn: int = 0
    documents: int = 0
    evidence: int = 0
    refusals: Counter[str] = field(default_factory=Counter)
    warnings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_system: list[str] = field(default_factory=list)
    surcharge_rates: set[Decimal] = field(default_factory=set)


def gather(cf: Casefiles) -> Figures:
    """Every figure of the summary, as of the clock of ``cf``."""
    now = cf.clock.now()
    today = local_date(now)
    f = Figures()
    with cf.uow() as uow:
        for chain in uow.history.chains():
            for e in uow.history.chain(chain):
                if e.result == "refused" and e.codes:
                    f.refusals[e.codes[0]] += 1
        for case_id in uow.cases.ids():
            case = uow.cases.get(case_id)
            if case is None:
                continue
            f.sectors[case.sector][case.state.value] += 1
            f.reviews.update(r.verdict for r in case.reviews)
            f.hearings.update(h.status for h in case.hearings)
            f.discussions += len(case.discussions)
            f.waivers += sum(1 for d in case.defences if d.waived)
            f.documents += len(case.documents)
            f.evidence += len(case.evidence)
            for w in case.warnings:
                f.warnings[w].append(case.party.name)
            for e in uow.history.chain(case_id):
                if e.actor == SYSTEM_PERSON.id and e.at == now and e.action != "store_document":
                    f.by_system.append(_system_note(case.party.name, e.action, e.payload))
            _money(f, case, cf.profile.rule_set(case.rule_set_id), today)
    return f


def _print_dossiers(console: Console, cf: Casefiles, folder: Path) -> None:
    """The case file of every archived case, with its pages."""
    with cf.uow() as uow:
        cases = [c for c in (uow.cases.get(i) for i in uow.cases.ids()) if c is not None]
    for case in cases:
        dossier = next((d for d in case.documents if d.kind == DOSSIER and d.path), None)
        if dossier is not None and dossier.path:
            console.print(f"  · 案卷 {escape(case.number or '')} {escape(case.party.name)}："
                          f"{folder / dossier.path}", soft_wrap=True)


def _system_note(name: str, action: str, payload: object) -> str:
    if action == "sweep" and isinstance(payload, dict):
        missed = "、".join(DEADLINES.get(k, k) for k in payload.get("missed", []))
        return f"期限巡查：{name} {missed}已逾期"
    return f"{ACTIONS.get(action, action)}：{name}"


def _money(f: Figures, case: Case, rules: RuleSet, today: date) -> None:
    d = case.decision
    if d is None:
        return
    if d.outcome != "penalty":
        f.no_penalty_decisions += 1
        return
    f.penalty_decisions += 1
    f.published += d.published_at is not None
    f.withdrawn += d.withdrawn_at is not None
    if d.revoked_at is not None:
        f.revoked += 1
        f.revoked_fine += d.fine
        return
    bal = fine_balance(case, rules, today)
    f.surcharge_rates.add(rules.surcharge.daily_rate)
    f.fine += bal.fine
    f.paid_fine += bal.fine_paid
    f.surcharge += bal.surcharge
    f.paid_surcharge += bal.surcharge_paid
    f.outstanding += bal.outstanding
    due = case.deadline("payment")
    if bal.outstanding and due is not None and today > due.due:
        f.overdue += bal.outstanding


def _cn(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def yuan(fen: int) -> str:
    """Exact yuan with thousands separators: 164,000.00元."""
    return f"{to_yuan(fen):,}元"


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    return table


def _summary(console: Console, f: Figures, report: AuditReport, today: str) -> None:
    console.rule(f"[bold]执法办案情况汇总（截至{today}）[/bold]")
    t = _table("一、案件情况", "行业", "案件数", "办理状态")
    total = 0
    for code, label in SECTORS.items():
        states = f.sectors.get(code)
        if not states:
            continue
        n = sum(states.values())
        total += n
        shown = "、".join(f"{s.label}{states[s.value]}件" for s in CaseState if states[s.value])
        t.add_row(label, str(n), shown)
    t.add_row("[bold]合计[/bold]", f"[bold]{total}[/bold]", "")
    console.print(t)

    m = _table("二、罚款情况（元，精确到分）", "项目", "金额", "说明")
    m.add_row("罚款决定金额", yuan(f.fine),
              f"处罚决定{f.penalty_decisions}件（其中撤销{f.revoked}件，{yuan(f.revoked_fine)}"
              f"不计入）；另有不予处罚决定{f.no_penalty_decisions}件")
    m.add_row("已缴罚款", yuan(f.paid_fine), "")
    m.add_row("加处罚款", yuan(f.surcharge),
              f"已缴{yuan(f.paid_surcharge)}；按罚款数额每日"
              f"{'、'.join(f'{(r * 100).normalize()}%' for r in sorted(f.surcharge_rates))}计，"
              "以罚款数额为限")
    m.add_row("尚欠罚款及加处罚款", yuan(f.outstanding), f"其中逾期未缴{yuan(f.overdue)}")
    console.print(m)

    r = _table("三、系统拦截的违规操作（拒绝办理）", "代码", "含义", "次数")
    for code, n in sorted(f.refusals.items(), key=lambda kv: (-kv[1], kv[0])):
        r.add_row(code, REFUSALS.get(code, code), str(n))
    r.add_row("[bold]合计[/bold]", "", f"[bold]{sum(f.refusals.values())}[/bold]")
    console.print(r)

    w = _table("四、提示事项（准予办理，记录在案）", "代码", "含义", "涉及案件")
    for code, names in f.warnings.items():
        w.add_row(code, WARNINGS.get(code, code), "、".join(escape(n) for n in names))
    console.print(w)

    console.print("[bold]五、行政执法三项制度[/bold]")
    console.print(f"  法制审核{sum(f.reviews.values())}次（通过{f.reviews['pass']}次，退回补充调查"
                  f"{f.reviews['return']}次）；举行听证{f.hearings['held']}场；集体讨论"
                  f"{f.discussions}次；当事人书面放弃陈述申辩和听证{f.waivers}件")
    console.print(f"  执法公示{f.published}件，撤回公示{f.withdrawn}件；执法文书{f.documents}份；"
                  f"证据{f.evidence}份（均存SHA-256）")
    if report.ok:
        console.print(f"  [bold green]全过程记录校验通过 {report.entries} 条"
                      f"（{report.chains}条哈希链）[/bold green]")
    else:
        for b in report.breaks:
            console.print(f"  [bold red]全过程记录校验未通过：链{b.chain}第{b.seq}条："
                          f"{escape(b.reason)}[/bold red]")


def run_demo(console: Console) -> int:
    """Play every sample case, run the flows' work and the audit, print the summary.
    0 when every step met its expectation, the flows did their work and the history verifies."""
    started = wallclock.perf_counter()
    base = Settings()
    folder = _data_dir(base)
    settings = base.model_copy(update={"data_dir": folder, "fonts_dir": base.font_cache})
    path = folder / "casefiles.db"
    url = f"sqlite:///{path}"
    files = sorted(DEMO_CASES.glob("*.yaml"))
    console.rule("[bold]衡山县应急管理局 行政执法办案系统 演示[/bold]")
    console.print(f"样例案件（虚构）共{len(files)}个文件，覆盖本局直管的非煤矿山、"
                  "危险化学品、烟花爆竹、工贸行业，按法定工作日历在模拟时钟上逐步办理。")
    console.print(f"演示数据库：{path}")
    all_met, latest = True, None
    for file in files:
        try:
            cases, last = play(file, url, settings)
        except ScenarioError as exc:
            console.print(f"[red]样例文件无效 / invalid sample: {escape(str(exc))}[/red]")
            return 2
        latest = last if latest is None else max(latest, last)
        console.print(f"[bold]{file.name}[/bold]")
        for case in cases:
            _print_case(console, case)
            all_met = all_met and not case.failures
    if latest is None:
        console.print(f"[red]没有样例案件 / no sample in {DEMO_CASES}[/red]")
        return 2
    sweep_at = datetime.combine(local_date(latest) + timedelta(days=1), time(8, 0), SHANGHAI)
    cf = Casefiles(settings.model_copy(update={"profile": "hengshan"}), SimulatedClock(sweep_at),
                   url)
    sent, swept = dispatch(cf), sweep(cf)
    console.print(f"[bold]系统定时流程[/bold]（模拟时间{_cn(sweep_at)}{sweep_at:%H:%M}）："
                  f"发件箱派发完成{sent.done}项、无需办理{sent.skipped}项、失败{sent.failed}项；期限巡查检查"
                  f"{swept.checked}件，新发现逾期{swept.missed}项")
    rendering = wallclock.perf_counter()
    rendered = render_pending(cf, batch=10_000)
    rendering = wallclock.perf_counter() - rendering
    console.print(f"[bold]文书生成[/bold]：{rendered.rendered}份文书（含检查文书和案卷）生成PDF并登记SHA-256，"
                  f"用时{rendering:.1f}秒，失败{rendered.failed}份")
    figures = gather(cf)
    for note in figures.by_system:
        console.print(f"  · {escape(note)}")
    _print_dossiers(console, cf, folder)
    with cf.uow() as uow:
        report = verify_all(uow)
    cf.engine.dispose()
    _summary(console, figures, report, _cn(sweep_at))
    ok = all_met and report.ok and sent.failed == 0 and rendered.failed == 0
    verdict = "[green]全部步骤符合预期[/green]" if all_met else "[red]有步骤不符合预期[/red]"
    console.print(f"{verdict}；用时{wallclock.perf_counter() - started:.1f}秒。")
    console.print(f"查看演示案件：CASEFILES_DATA_DIR={folder} casefiles case list", soft_wrap=True)
    return 0 if ok else 1
