"""`casefiles audit …`: verify the history chains (against archived checkpoints too), write
a signed checkpoint, print the checkpoints' public key."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from casefiles.cli_common import err, out, ready

audit_app = typer.Typer(help="审计 / audit", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(
    case: Annotated[str | None, typer.Option(help="one case only")] = None,
    checkpoints: Annotated[Path | None, typer.Option(
        help="目录：已归档的检查点 / folder of archived checkpoints to compare with")] = None,
    public_key: Annotated[Path | None, typer.Option(
        help="检查点公钥PEM（默认取自私钥文件）/ the checkpoints' public key")] = None,
    processes: Annotated[int | None, typer.Option(
        min=1, help="同时校验的进程数（默认每核一个）/ processes verifying at once "
                    "(default: one a core, for a large history)")] = None,
) -> None:
    """校验全过程记录的哈希链，列出每一处断裂 / verify every history chain, naming every
    broken entry (and, with --checkpoints, every entry that differs from a checkpoint)."""
    from casefiles.domain.errors import VerifierFailedError
    from casefiles.services.audit import verify_all
    from casefiles.services.checkpoints import compare
    from casefiles.services.checkpoints import public_key as checkpoint_key

    cf = ready()
    read = 0
    with cf.uow() as uow:
        case_id = uow.cases.resolve(case) if case else None
        try:
            report = verify_all(uow, case_id, processes=processes)
        except VerifierFailedError as exc:  # no answer: neither ✓ nor a break
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(2) from exc
        breaks = list(report.breaks)
        if checkpoints is not None:
            try:
                read, differ = compare(uow, checkpoints, checkpoint_key(cf, public_key))
            except (OSError, ValueError) as exc:
                err.print(f"[red]{escape(str(exc))}[/red]")
                raise typer.Exit(2) from exc
            breaks += differ
    if not breaks:
        anchored = f"，与 {read} 个检查点一致 / matching {read} checkpoints" if checkpoints else ""
        out.print(f"[green]✓ 全部 {report.chains} 条链、{report.entries} 条记录校验通过 / "
                  f"{report.chains} chains, {report.entries} entries verified{anchored}[/green]")
        return
    for b in breaks:
        out.print(f"[red]✗ chain {escape(b.chain)} entry {b.seq}: {escape(b.reason)}[/red]")
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="写入目录（默认 CASEFILES_CHECKPOINTS_DIR）/ folder to write to")] = None,
) -> None:
    """签署每条链的当前链头并写入检查点文件（每日由系统定时器调用，归档或打印）/ sign every
    chain's head into a checkpoint file (daily, from a system timer; archive or print it)."""
    from casefiles.services.checkpoints import write_checkpoint

    cf = ready()
    folder = out_dir or cf.settings.checkpoints_dir or Path(cf.settings.data_dir) / "checkpoints"
    written = write_checkpoint(cf, folder)
    out.print(f"检查点 / checkpoint: {written.path} ({written.chains} chains)", soft_wrap=True)
    out.print(f"公钥指纹 / key fingerprint: {written.key}", soft_wrap=True)


@audit_app.command("public-key")
def audit_public_key() -> None:
    """打印检查点公钥（PEM，供归档）/ print the checkpoints' public key (PEM, to archive)."""
    from casefiles.adapters.signing import fingerprint, public_pem
    from casefiles.services.checkpoints import public_key

    try:
        key = public_key(ready())
    except (OSError, ValueError) as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    sys.stdout.write(public_pem(key))
    out.print(f"fingerprint: {fingerprint(key)}")
