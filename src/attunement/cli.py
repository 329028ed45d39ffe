"""The `attunement` command: thin wrappers over importable functions."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from attunement import answers as answer_files
from attunement import reports
from attunement.errors import AttunementError
from attunement.files import write_atomically
from attunement.instruments import library
from attunement.instruments.scoring import Score

app = typer.Typer(
    help="Attunement: private questionnaires and scores for couples who feel disconnected.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(error: Exception) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(2)


@app.command()
def take(
    instrument_ids: Annotated[
        list[str] | None, typer.Argument(help="Instruments to take (default: the core battery).")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Answer file to write or resume.")
    ] = Path("answers.json"),
) -> None:
    """Answer questionnaires in the terminal; safety questions come first. Resumable."""
    from attunement import take as take_flow

    try:
        ids = instrument_ids or library.battery()["core"]
        code = take_flow.run_in_terminal(library.asking_order(ids), out)
    except AttunementError as error:
        raise fail(error) from None
    raise typer.Exit(code)


@app.command()
def score(
    partner: Annotated[Path | None, typer.Argument(help="A partner's answer file (JSON).")] = None,
    instrument: Annotated[
        str | None, typer.Option(help="Batch mode: instrument id or YAML file.")
    ] = None,
    answers: Annotated[
        Path | None, typer.Option(help="Batch mode: CSV, one respondent per row.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Batch mode: write the CSV here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score a partner's answer file, or batch-score a CSV with --instrument and --answers."""
    try:
        if partner is not None and instrument is None and answers is None:
            _print_scores(answer_files.score_answer_file(partner), as_json)
            return
        if partner is None and instrument is not None and answers is not None:
            _need_pandas()
            from attunement.instruments import batch

            result = batch.score_csv(library.resolve(instrument), answers)
            result.write_csv(out if out is not None else sys.stdout)
            typer.echo(result.summary(), err=True)
            return
    except AttunementError as error:
        raise fail(error) from None
    raise fail(ValueError("give either an answer file, or both --instrument and --answers"))


def _need_pandas() -> None:
    """Batch scoring and psychometrics read CSVs with pandas, which is the `batch` extra."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise AttunementError(
            "Batch scoring needs the batch extra: pip install 'attunement[batch]'"
        ) from None


def _print_scores(scores: dict[str, Score], as_json: bool) -> None:
    if as_json:
        values = {i: {s: round(v, 4) for s, v in sc.values().items()} for i, sc in scores.items()}
        typer.echo(json.dumps(values, indent=2))
        return
    for result in scores.values():
        typer.echo(f"{result.instrument.title} ({result.instrument.id})")
        for scale_score in result.scales.values():
            scale = scale_score.scale
            low, high = scale.range
            band = scale_score.band
            meaning = f"  {band.label} [{band.source.value} threshold]" if band else ""
            if not scale.validated and result.instrument.validated:
                meaning += "  [not validated: for reflection]"
            typer.echo(
                f"  {scale.title:<34} {scale_score.value:6.2f}  (range {low:g}–{high:g}){meaning}"
            )
        typer.echo("")


@app.command("psychometrics")
def psychometrics_command(
    instrument: Annotated[str, typer.Option(help="Instrument id or YAML file.")],
    answers: Annotated[Path, typer.Option(help="CSV, one respondent per row.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Per scale: n, mean, SD, Cronbach's alpha and corrected item-total correlations."""
    try:
        _need_pandas()
        from attunement.instruments import psychometrics

        report = psychometrics.analyse_csv(library.resolve(instrument), answers)
    except AttunementError as error:
        raise fail(error) from None
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.to_text())


class ReportFormat(StrEnum):
    JSON = "json"
    HTML = "html"
    PDF = "pdf"


class Audience(StrEnum):
    JOINT = "joint"
    A = "a"
    B = "b"


@app.command()
def report(
    partner_a: Annotated[Path, typer.Argument(help="Partner A's answer file.")],
    partner_b: Annotated[Path | None, typer.Argument(help="Partner B's answer file.")] = None,
    view: Annotated[Audience, typer.Option(help="Whose view: joint, a or b.")] = Audience.JOINT,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = (
        ReportFormat.HTML
    ),
    out: Annotated[Path | None, typer.Option(help="Write here instead of printing.")] = None,
    names: Annotated[str, typer.Option(help="Display names, comma-separated.")] = (
        "Partner A,Partner B"
    ),
) -> None:
    """The couple report: the cycle, findings with evidence, and next steps."""
    from attunement.insight import render

    try:
        couple_report = reports.report_from_files(partner_a, partner_b, names.split(","))
        chosen = couple_report.view(view.value)
        output: str | bytes
        if fmt is ReportFormat.JSON:
            output = render.to_json(chosen)
        elif fmt is ReportFormat.HTML:
            output = render.to_html(chosen)
        else:
            output = render.to_pdf(chosen)
    except (AttunementError, ValueError) as error:
        raise fail(error) from None
    if out is not None:
        try:
            write_atomically(out, output)
        except OSError as error:
            reason = f"{out}: cannot write the report: {error.strerror}"
            raise fail(AttunementError(reason)) from None
    elif isinstance(output, bytes):
        sys.stdout.buffer.write(output)
    else:
        typer.echo(output)


@app.command()
def coach(
    text: Annotated[str | None, typer.Argument(help="The message (default: read stdin).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help='Read {"text": ...} lines from stdin, write results.')
    ] = False,
) -> None:
    """Check a message for protective patterns before you send it; runs locally, offline."""
    from attunement import coach as message_coach

    try:
        if jsonl:
            message_coach.run_jsonl(sys.stdin, sys.stdout)
            return
        analysis = message_coach.analyze(text if text is not None else sys.stdin.read())
    except AttunementError as error:
        raise fail(error) from None
    output = (
        json.dumps(message_coach.result_of(analysis), indent=2, ensure_ascii=False)
        if as_json
        else message_coach.cli_lines(analysis)
    )
    typer.echo(output)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Add a demo couple to explore.")] = False,
) -> None:
    """Run the web app: applies migrations, then serves (SQLite unless DATABASE_URL is set)."""

    from attunement.web import server

    # Links in emails point at this server unless an operator says otherwise.
    os.environ.setdefault("ATTUNEMENT_SITE_URL", f"http://{host}:{port}")
    server.setup()
    server.migrate()
    try:
        created = server.check_keys()
    except AttunementError as error:
        raise fail(error) from None
    if created:
        from attunement.web.vault.models import BACK_IT_UP

        typer.echo(BACK_IT_UP.format(path=created))
    if demo:
        from attunement.web.core.demo import create_demo

        for line in create_demo():
            typer.echo(line)
    typer.echo(f"Attunement is running at http://{host}:{port}/  (Ctrl-C to stop)")
    server.serve(host, port)


PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the passphrase from this file's first line "
        "(or set ATTUNEMENT_BACKUP_PASSPHRASE).",
    ),
]


def _passphrase(path: Path | None) -> str | None:
    if path is None:
        return os.environ.get("ATTUNEMENT_BACKUP_PASSPHRASE") or None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise fail(
            AttunementError(f"{path}: cannot read the passphrase: {error.strerror}")
        ) from None
    if not lines or not lines[0]:
        raise fail(AttunementError(f"{path}: the passphrase file is empty"))
    return lines[0]


@app.command("backup")
def backup_command(
    dest: Annotated[Path, typer.Argument(help="The archive to write (a new file).")],
    passphrase_file: PassphraseFile = None,
) -> None:
    """Back up the database with its encryption key file, as one archive (mode 0600)."""
    from attunement.web import backup

    passphrase = _passphrase(passphrase_file)
    try:
        members = backup.backup(dest, passphrase)
    except AttunementError as error:
        raise fail(error) from None
    sealed = "encrypted with your passphrase" if passphrase else "NOT encrypted"
    typer.echo(f"Wrote {dest} ({', '.join(members)}), {sealed}.")
    typer.echo(
        "It holds the encryption key: whoever has it"
        + (" and the passphrase" if passphrase else "")
        + " can read everything.",
        err=True,
    )


@app.command("restore")
def restore_command(
    src: Annotated[Path, typer.Argument(help="An archive written by `attunement backup`.")],
    passphrase_file: PassphraseFile = None,
) -> None:
    """Restore a backup into an empty data folder (and empty database); never overwrites."""
    from attunement.web import backup

    try:
        members = backup.restore(src, _passphrase(passphrase_file))
    except AttunementError as error:
        raise fail(error) from None
    typer.echo(f"Restored {', '.join(members)} from {src}. Start it with `attunement serve`.")


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `attunement manage createsuperuser`."""
    from django.core.management import execute_from_command_line

    from attunement.web import server

    server.setup()
    execute_from_command_line(["attunement manage", *ctx.args])


@app.command()
def instruments() -> None:
    """List the instrument library with citations and licence notes."""
    uses = library.battery()
    for item in library.library().values():
        role = "core battery" if item.id in uses["core"] else "optional deep dive"
        if item.id in uses["checkin"]:
            role = "weekly check-in"
        validated = "" if item.validated else ", not validated"
        typer.echo(f"{item.id}: {item.title} ({len(item.items)} items, {role}{validated})")
        typer.echo(f"  Citation: {item.citation}")
        typer.echo(f"  Licence ({item.licence.status.value}): {item.licence.note}")
        typer.echo("")
