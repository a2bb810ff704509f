"""The command line: `flask --app app <command>`. Scripts rely on these names, options, outputs and exit statuses.

Exit status 0 on success (also when some rows were rejected: they are reported); 2 when a whole file cannot be
read, with one line on stderr naming the file and saying why, and nothing from that file stored; 1 for other
refusals (an unknown campaign, a tampered workbook).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from flask import Flask
from flask.cli import AppGroup

from app.dao import campaigns as campaigns_dao
from app.dao import organisations as organisations_dao
from app.dao import transaction
from app.extensions import db
from app.models import Organisation
from importers import FileRejected

if TYPE_CHECKING:
    from audits.workbook import Book


def fail(message: str, status: int = 1) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(status)


def _organisation(slug: str | None, *, create: bool = False) -> tuple[Organisation, str | None]:
    """The organisation a command acts for, and a note to show: --org, else the only one, else the first."""
    from sqlalchemy import select

    if slug:
        found = organisations_dao.get_organisation_by_slug(slug)
        if found is None:
            fail(f"there is no organisation {slug!r}: `flask org list` shows them")
        return found, None
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
    if not organisations:
        if not create:
            fail("there is no organisation yet: run `flask demo`, or `flask org create NAME --slug SLUG`")
        with transaction():
            organisation = Organisation(name="My organisation", slug="default", org_type="other", nation="england")
            db.session.add(organisation)
        return organisation, "created the organisation 'My organisation' (slug default) to hold these files"
    if len(organisations) > 1:
        return organisations[0], (
            f"acting for {organisations[0].name} ({organisations[0].slug}); use --org to choose another"
        )
    return organisations[0], None


def _problem_lines(report: Any) -> list[str]:
    lines = [p.describe(report.file) for p in report.problems]
    if report.problems_not_listed:
        lines.append(f"{report.file}: and {report.problems_not_listed} more problems")
    return lines


def register(app: Flask) -> None:
    org_option = click.option("--org", "org_slug", envvar="SCRUTINEER_ORG", help="Organisation slug.")

    @app.cli.command("demo")
    def demo_command() -> None:
        """Load the demo organisations, agencies, campaigns, users and audits (once)."""
        from app.services import demo

        created = demo.load_demo()
        password, generated = demo.demo_password()
        click.echo("Demo data loaded." if created else "Demo data is already loaded.")
        click.echo("Sign in at http://127.0.0.1:5000 with:")
        for email, role, organisation in demo.sign_ins():
            click.echo(f"  {email:28} {role:40} {organisation}")
        if generated:
            click.echo(f"  password: {password}   (set SCRUTINEER_DEMO_PASSWORD to choose it)")
        else:
            click.echo("  password: the value of SCRUTINEER_DEMO_PASSWORD")

    @app.cli.command("import")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--campaign", "campaign_ref", help="Campaign an advert, posting or LinkedIn file belongs to.")
    @click.option("--format", "format_name", help="Read as this format (see `flask formats`) instead of detecting.")
    @click.option(
        "--mapping",
        "mapping_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Read the files through this column mapping (JSON, see `flask mapping suggest`); it is then saved.",
    )
    @click.option("--agency", "agency_name", help="The agency a --mapping is saved for (default: the campaign's).")
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
    @org_option
    def import_command(
        files: tuple[Path, ...],
        campaign_ref: str | None,
        format_name: str | None,
        mapping_file: Path | None,
        agency_name: str | None,
        as_json: bool,
        org_slug: str | None,
    ) -> None:
        """Import agency files, LinkedIn exports, adverts and postings datasets."""
        from app.services.imports import ImportRefused, import_file
        from importers.mapping import MappingError, load_mapping

        mapping = None
        if mapping_file is not None:
            try:
                mapping = load_mapping(mapping_file)
            except MappingError as error:
                fail(str(error), 2)
        organisation, note = _organisation(org_slug, create=True)
        results = []
        for path in files:
            if not path.exists():
                fail(f"{path}: no such file", 2)
            returned = _returned_workbook(path) if format_name is None else None
            if returned is not None:  # an audit workbook with the agency's answers
                results.append(_import_returned_workbook(returned, org_slug, as_json))
                continue
            try:
                outcome = import_file(
                    organisation,
                    path,
                    path.name,
                    campaign_ref=campaign_ref,
                    format_name=format_name,
                    mapping=mapping,
                    agency_name=agency_name,
                )
            except FileRejected as error:
                fail(f"{path.name}: {error.reason}", 2)
            except ImportRefused as error:
                fail(str(error), 1)
            except Exception as error:  # a fault of ours, not of the file: logged, and one line for the user
                app.logger.exception("import of %s failed", path.name)
                fail(f"{path.name}: the import stopped ({type(error).__name__}) and nothing was stored", 1)
            report = outcome.report
            results.append(report.as_dict())
            if not as_json:
                click.echo(
                    f"{report.file}: {report.format}; read {report.rows_read} rows, stored "
                    f"{report.rows_stored}, rejected {report.rows_rejected}"
                    + (f" ({', '.join(f'{v} {k}' for k, v in report.counts.items())})" if report.counts else "")
                )
                for line in _problem_lines(report):
                    click.echo(f"  {line}")
                for item in report.notes:
                    click.echo(f"  note: {item}")
        if as_json:
            payload: dict[str, Any] = {"files": results, "organisation": organisation.slug}
            if note:
                payload["note"] = note
            click.echo(json.dumps(payload, indent=2, default=str))
        elif note:
            click.echo(f"Note: {note}.")

    mapping_group = AppGroup("mapping", help="Column mappings for layouts that are not the template (ATS exports).")

    @mapping_group.command("suggest")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--table", type=click.Choice(["campaigns", "candidates", "outreach"]), help="The template table.")
    @click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write the mapping here.")
    def mapping_suggest(file: Path, table: str | None, out: Path | None) -> None:
        """Suggest a mapping for FILE from its headers and first rows. Check it, edit it, then import --mapping."""
        from app.services.mapping import suggestion_for

        if not file.exists():
            fail(f"{file}: no such file", 2)
        try:
            suggestion = suggestion_for(file, file.name, table)
        except FileRejected as error:
            fail(f"{file.name}: {error.reason}", 2)
        text = json.dumps(suggestion, indent=2, ensure_ascii=False)
        if out is not None:
            out.write_text(text + "\n", encoding="utf-8")
            click.echo(f"Suggested mapping written to {out}: check each column, then import with --mapping {out}")
        else:
            click.echo(text)

    @mapping_group.command("list")
    @org_option
    def mapping_list(org_slug: str | None) -> None:
        """The mappings saved for the organisation's agencies."""
        from app.services.mapping import mappings_of

        organisation, _note = _organisation(org_slug)
        rows = mappings_of(organisation)
        if not rows:
            click.echo("No column mappings are saved yet.")
        for row in rows:
            owner = row.agency.name if row.agency else "any agency"
            click.echo(
                f"{row.id:5}  {row.table_name:10} {owner:30} {row.created_at:%Y-%m-%d}  "
                f"{', '.join(row.headers[:6])}{' …' if len(row.headers) > 6 else ''}"
            )

    app.cli.add_command(mapping_group)

    @app.cli.command("purge")
    @click.option("--days", type=int, help="Keep raw uploads this many days (default SCRUTINEER_RETENTION_DAYS).")
    @click.option("--dry-run", is_flag=True, help="List what would be deleted, and delete nothing.")
    def purge_command(days: int | None, dry_run: bool) -> None:
        """Delete raw uploaded files older than the retention period (their imported records stay), and workbooks
        prepared for download more than a day ago."""
        from app.services.downloads import DOWNLOAD_HOURS, purge_downloads
        from app.services.retention import purge_raw_uploads

        result = purge_raw_uploads(days=days, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        click.echo(
            f"{verb} {result.files} raw upload(s) older than {result.days} days "
            f"({result.bytes / 1024 / 1024:.1f} MB), kept since {result.cutoff:%d %B %Y}."
        )
        prepared = purge_downloads(dry_run=dry_run)
        click.echo(
            f"{verb} {prepared.files} prepared download(s) older than {DOWNLOAD_HOURS} hours "
            f"({prepared.bytes / 1024 / 1024:.1f} MB)."
        )

    @app.cli.command("fetch-advert")
    @click.argument("url")
    @click.option("--campaign", "campaign_ref", required=True, help="Campaign the advert belongs to.")
    @click.option("--json", "as_json", is_flag=True)
    @org_option
    def fetch_advert_command(url: str, campaign_ref: str, as_json: bool, org_slug: str | None) -> None:
        """Fetch an advert page by URL (http/https, public addresses only) and import it."""
        from app.services.adverts import fetch_advert
        from app.services.imports import ImportRefused

        organisation, _note = _organisation(org_slug)
        try:
            outcome = fetch_advert(organisation, url, campaign_ref)
        except FileRejected as error:
            fail(f"{error.file}: {error.reason}", 2)
        except ImportRefused as error:
            fail(str(error), 1)
        report = outcome.report
        if as_json:
            click.echo(json.dumps({"files": [report.as_dict()]}, indent=2, default=str))
        else:
            click.echo(f"{url}: {report.format}; stored {report.rows_stored} advert(s), SHA-256 {report.sha256}")

    @app.cli.command("audit")
    @click.argument("campaign_ref")
    @click.option("--checklist", "checklist_id", help="Checklist ID (default: the organisation's current one).")
    @click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write the workbook here.")
    @click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Audit as of this date.")
    @click.option("--json", "as_json", is_flag=True)
    @org_option
    def audit_command(
        campaign_ref: str,
        checklist_id: str | None,
        out: Path | None,
        as_of: dt.datetime | None,
        as_json: bool,
        org_slug: str | None,
    ) -> None:
        """Run the checklist over a campaign and (with --out) write the workbook."""
        from app.services import reports
        from app.services.auditing import AuditRefused, run_audit
        from audits.checklist import ChecklistError

        organisation, campaign = _campaign(org_slug, campaign_ref)
        try:
            run = run_audit(organisation, campaign, checklist_id=checklist_id, as_of=as_of.date() if as_of else None)
        except (AuditRefused, ChecklistError) as error:
            fail(f"audit of {campaign_ref} refused: {error}")
        if out is not None:
            reports.write_workbook(run, out)
        summary = dict(run.summary.get("by_status", {}))
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "audit_id": run.public_id,
                        "campaign": campaign.ref,
                        "score": run.score,
                        "rag": run.rag,
                        "summary": summary,
                        "workbook": str(out) if out else None,
                    },
                    indent=2,
                )
            )
        else:
            score = "not rated" if run.score is None else f"{run.score:g}"
            click.echo(f"Audit {run.public_id} of {campaign.ref}: score {score}, {run.rag} — {run.score_reason}")
            click.echo("  " + ", ".join(f"{k}: {v}" for k, v in summary.items()))
            if out is not None:
                click.echo(f"  workbook: {out}")

    @app.cli.command("check-advert")
    @click.argument("sources", nargs=-1, required=True)
    @click.option("--json", "as_json", is_flag=True, help="One JSON object per advert, one per line.")
    @click.option("--checklist", "checklist_name", default=None, help="Shipped checklist name.")
    def check_advert_command(sources: tuple[str, ...], as_json: bool, checklist_name: str | None) -> None:
        """Check advert files or URLs on the spot, with no database."""
        from app.services.selfcheck import check_sources

        try:
            for result in check_sources(sources, checklist_name):
                if as_json:
                    click.echo(json.dumps(result, ensure_ascii=False, default=str))
                else:
                    _print_advert_result(result)
        except FileRejected as error:
            fail(f"{error.file}: {error.reason}", 2)

    @app.cli.command("report")
    @click.argument("audit_id")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
    @org_option
    def report_command(audit_id: str, out: Path, org_slug: str | None) -> None:
        """Write the workbook of an earlier audit, with the agency's responses."""
        from app.dao import audits as audits_dao
        from app.services import reports

        organisation = _organisation(org_slug)[0] if org_slug else None
        run = audits_dao.audit_by_public_id(audit_id, organisation.id if organisation else None)
        if run is None:
            fail(f"there is no audit {audit_id}" + (f" in {organisation.name}" if organisation else ""))
        reports.write_workbook(run, out)
        click.echo(f"Workbook of {run.public_id} ({run.campaign.ref}) written to {out}")

    @app.cli.command("verify")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @org_option
    def verify_command(file: Path, org_slug: str | None) -> None:
        """Is this audit workbook or scorecard one Scrutineer wrote, unaltered? Exit 0 if so, 1 (listing changes) if
        not."""
        from app.services.scorecards import ScorecardVerification
        from app.services.verification import verify_file
        from audits.workbook import WorkbookUnreadable

        if not file.exists():
            fail(f"{file}: no such file", 2)
        organisation = _organisation(org_slug)[0] if org_slug else None
        try:
            result = verify_file(file, organisation.id if organisation else None)
        except WorkbookUnreadable as error:
            fail(str(error), 2)
        if result.ok and isinstance(result, ScorecardVerification):
            issued = result.issued
            assert issued is not None
            click.echo(
                f"{file.name}: verified. It is scorecard {result.ref} ({issued.agency_name or 'all agencies'}) that "
                f"this Scrutineer wrote on {issued.written_at.day} {issued.written_at:%B %Y at %H:%M} UTC, showing "
                "what it showed then."
            )
            return
        if result.ok and not isinstance(result, ScorecardVerification):
            run, filled = result.run, result.responses_filled
            assert run is not None
            click.echo(
                f"{file.name}: verified. It is the workbook of audit {result.ref} ({run.campaign.ref}) that this "
                f"Scrutineer wrote, unaltered; {filled} {'finding has' if filled == 1 else 'findings have'} an agency "
                "response or note filled in."
            )
            return
        click.echo(f"{file.name}: NOT verified ({result.kind} {result.ref or 'unknown'}).", err=True)
        for message in result.messages:
            click.echo(f"  {message}", err=True)
        sys.exit(1)

    @app.cli.command("scorecard")
    @click.option("--agency", "agency_name", help="One agency (default: every agency of the organisation).")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
    @org_option
    def scorecard_command(agency_name: str | None, out: Path, org_slug: str | None) -> None:
        """Write the agency scorecard workbook for procurement's supplier reviews."""
        from app.services import scorecards

        organisation, note = _organisation(org_slug)
        try:
            data = scorecards.write_scorecard(organisation, out, agency_name=agency_name)
        except scorecards.ScorecardRefused as error:
            fail(str(error))
        campaigns = sum(len(a.campaigns) for a in data.agencies)
        click.echo(
            f"Scorecard of {len(data.agencies)} {'agency' if len(data.agencies) == 1 else 'agencies'} "
            f"({campaigns} {'campaign' if campaigns == 1 else 'campaigns'}) for {organisation.name} written to {out}"
        )
        if note:
            click.echo(f"Note: {note}.")

    @app.cli.command("formats")
    @click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
    def formats_command(as_json: bool) -> None:
        """The file formats Scrutineer reads, how it recognises them, and their required columns."""
        import importers

        if as_json:
            click.echo(
                json.dumps(
                    [
                        {
                            "name": item.name,
                            "label": item.label,
                            "recognised_by": item.recognised_by,
                            "required_columns": item.required_columns,
                        }
                        for item in importers.FORMATS
                    ],
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        for item in importers.FORMATS:
            click.echo(f"{item.name}\n  {item.label}\n  recognised by: {item.recognised_by}")
            for table, columns in item.required_columns.items():
                click.echo(f"  required in {table}: {', '.join(columns) or '-'}")
        click.echo("\nFormats are recognised from the content, never from the file name.")

    @app.cli.command("template")
    @click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write the workbook here.")
    @click.option(
        "--csv", "csv_folder", type=click.Path(file_okay=False, path_type=Path), help="Write one CSV per table here."
    )
    def template_command(out: Path | None, csv_folder: Path | None) -> None:
        """The agency campaign template: the workbook to give agencies (--out), and its CSV header rows (--csv)."""
        from importers import template

        if out is None and csv_folder is None:
            raise click.UsageError("give --out FILE.xlsx, --csv FOLDER, or both")
        if out is not None:
            template.write_template(out)
            click.echo(f"Template written to {out}")
        if csv_folder is not None:
            csv_folder.mkdir(parents=True, exist_ok=True)
            for table, name in template.CSV_NAMES.items():
                (csv_folder / name).write_bytes(template.template_csv(table))
            click.echo(f"CSV header rows written to {csv_folder}: {', '.join(template.CSV_NAMES.values())}")

    @app.cli.command("checks")
    @click.option("--checklist", "checklist_name", default=None, help="Shipped checklist name.")
    @click.option("--org", "org_slug", default=None, help="Show this organisation's current checklist instead.")
    def checks_command(checklist_name: str | None, org_slug: str | None) -> None:
        """Every check with ID, title, severity, the data it reads and its reference."""
        from audits.checklist import DEFAULT_CHECKLIST, load_shipped

        if org_slug:
            from app.services import checklists

            organisation, _note = _organisation(org_slug)
            try:
                checklist = checklists.current(organisation, checklist_name).checklist
            except checklists.ChecklistRefused as error:
                fail(str(error))
        else:
            checklist = load_shipped(checklist_name or DEFAULT_CHECKLIST)
        click.echo(f"{checklist.title} ({checklist.label}, SHA-256 {checklist.sha256[:16]}…)")
        for rule in checklist.rules:
            state = "" if rule.enabled else f" [off: {rule.disabled_reason}]"
            click.echo(
                f"\n{rule.id}  {rule.title}  [{rule.severity.label}, {rule.scope}, {rule.family}]{state}\n"
                f"  data: {rule.data}\n  reference: {rule.reference}"
            )

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
    def worker_command(burst: bool) -> None:
        """Run background jobs from Redis (REDIS_URL): imports, fetches and audits."""
        from redis import Redis
        from rq import Queue, Worker

        from app.jobs import reap_stale

        url = app.config.get("REDIS_URL")
        if not url:
            fail("REDIS_URL is not set: without it, jobs run in the web process and no worker is needed")
        reaped = reap_stale()
        if reaped:
            click.echo(f"Marked {reaped} job(s) whose process had stopped as failed.")
        # The worker forks a process for each job; it must not hand its own database connections to them.
        db.session.remove()
        db.engine.dispose()
        connection = Redis.from_url(url)
        worker = Worker([Queue("scrutineer", connection=connection)], connection=connection)
        worker.work(burst=burst, with_scheduler=False)

    org_group = AppGroup("org", help="Organisations (tenants).")

    @org_group.command("create")
    @click.argument("name")
    @click.option("--slug", required=True)
    @click.option(
        "--type",
        "org_type",
        default="other",
        type=click.Choice(["local_authority", "nhs", "central_government", "alb", "other"]),
    )
    @click.option(
        "--nation", default="england", type=click.Choice(["england", "wales", "scotland", "northern_ireland"])
    )
    def org_create(name: str, slug: str, org_type: str, nation: str) -> None:
        if organisations_dao.get_organisation_by_slug(slug):
            fail(f"an organisation with slug {slug!r} exists")
        with transaction():
            db.session.add(Organisation(name=name, slug=slug, org_type=org_type, nation=nation))
        click.echo(f"Created {name} ({slug}).")

    @org_group.command("list")
    def org_list() -> None:
        from sqlalchemy import select

        for organisation in db.session.scalars(select(Organisation).order_by(Organisation.id)):
            click.echo(f"{organisation.slug:24} {organisation.name} ({organisation.org_type}, {organisation.nation})")

    app.cli.add_command(org_group)

    _register_checklist_commands(app)

    user_group = AppGroup("user", help="People and their roles.")

    @user_group.command("create")
    @click.argument("email")
    @click.option("--name", required=True)
    @click.option("--org", "org_slug", required=True)
    @click.option("--role", required=True, type=click.Choice(["admin", "auditor", "recruiter", "procurement"]))
    @click.option("--agency", default=None, help="For recruiters: the agency they work for.")
    @click.password_option()
    def user_create(email: str, name: str, org_slug: str, role: str, agency: str | None, password: str) -> None:
        from app.services.people import PeopleError, add_member

        organisation, _note = _organisation(org_slug)
        try:
            add_member(organisation, email=email, name=name, role=role, agency_name=agency, password=password)
        except PeopleError as error:
            fail(str(error))
        click.echo(f"{email} is now {role} in {organisation.name}.")

    app.cli.add_command(user_group)

    @app.cli.command("backup")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the backup.")
    def backup_command(out: Path | None) -> None:
        """Back up the database (SQLite backup API, or pg_dump for PostgreSQL)."""
        from app.services.backups import BackupError, backup

        try:
            target = backup(out)
        except BackupError as error:
            fail(str(error))
        click.echo(f"Backup written to {target} ({target.stat().st_size:,} bytes).")

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(file: Path, yes: bool) -> None:
        """Replace the database with a backup. Stop the web app and workers first."""
        from app.services.backups import BackupError, restore

        if not yes:
            click.confirm(f"Replace the database with {file.name}? Stop the web app and workers first.", abort=True)
        try:
            safety = restore(file)
        except BackupError as error:
            fail(str(error))
        click.echo(f"Restored from {file.name}." + (f" The database as it was is kept in {safety}." if safety else ""))

    @app.cli.command("compact")
    def compact_command() -> None:
        """Rebuild the SQLite database file: give back deleted rows' space, and use 16 KiB pages. Stop the web app
        and workers first."""
        from app.services.backups import BackupError, compact

        try:
            result = compact()
        except BackupError as error:
            fail(str(error))
        if result is None:
            click.echo("PostgreSQL reclaims space by itself (autovacuum): nothing to do.")
            return
        before, after = result.file_bytes_before / 1024 / 1024, result.file_bytes / 1024 / 1024
        click.echo(
            f"Compacted: {before:,.1f} MB to {after:,.1f} MB, "
            f"pages of {result.page_bytes_before:,} bytes to {result.page_bytes:,}."
        )

    subject_group = AppGroup("subject", help="Candidates' data protection rights: find and erase their data.")

    @subject_group.command("find")
    @click.argument("identifier")
    @click.option("--json", "as_json", is_flag=True)
    @org_option
    def subject_find(identifier: str, as_json: bool, org_slug: str | None) -> None:
        """Everything held about a candidate, from their e-mail, name as the agency wrote it, or profile URL."""
        from app.services.subjects import find_subject

        organisation = _organisation(org_slug)[0] if org_slug else None
        report = find_subject(identifier, organisation)
        if as_json:
            click.echo(json.dumps({"key": report.key, "records": report.records}, indent=2, default=str))
            return
        click.echo(f"{report.count} record(s) held under key {report.key}.")
        for record in report.records:
            click.echo("  " + ", ".join(f"{k}: {v}" for k, v in record.items() if v is not None))

    @subject_group.command("erase")
    @click.argument("identifier")
    @click.option("--reason", required=True, help="Why (for example the request reference).")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @org_option
    def subject_erase(identifier: str, reason: str, yes: bool, org_slug: str | None) -> None:
        """Erase every record held about a candidate, and log the erasure (without the identifier)."""
        from app.services.subjects import erase_subject

        organisation = _organisation(org_slug)[0] if org_slug else None
        if not yes:
            click.confirm("Erase this person's records? This cannot be undone.", abort=True)
        try:
            count = erase_subject(
                identifier, organisation=organisation, actor_label="flask subject erase", reason=reason
            )
        except ValueError as error:
            fail(str(error))
        click.echo(f"Erased {count} record(s); the erasure is in the event log.")

    app.cli.add_command(subject_group)


def _register_checklist_commands(app: Flask) -> None:
    """`flask checklist show|history|copy|set|severity|disable|enable --org SLUG`: an organisation's own checklist."""
    group = AppGroup("checklist", help="An organisation's checklist: copy, change thresholds, switch checks off.")
    org_option = click.option("--org", "org_slug", envvar="SCRUTINEER_ORG", required=True, help="Organisation slug.")
    id_option = click.option(
        "--checklist", "checklist_id", default=None, help="Checklist ID (default: the shipped one)."
    )
    reason_option = click.option("--reason", default=None, help="Why: recorded with the new version.")

    def run(action: Any) -> None:
        from app.services import checklists

        try:
            row = action()
        except checklists.ChecklistRefused as error:
            fail(str(error))
        click.echo(f"Saved {row.checklist_id} v{row.version} (SHA-256 {row.sha256}).")

    @group.command("show")
    @org_option
    @id_option
    @click.option("--toml", "as_toml", is_flag=True, help="Print the checklist file itself.")
    def show(org_slug: str, checklist_id: str | None, as_toml: bool) -> None:
        """The checklist the organisation's audits use now, and the changes made to it."""
        from app.services import checklists

        organisation, _note = _organisation(org_slug)
        try:
            now = checklists.current(organisation, checklist_id)
        except checklists.ChecklistRefused as error:
            fail(str(error))
        if as_toml:
            click.echo(now.checklist.text, nl=False)
            return
        whose = "its own copy" if now.own else "the shipped checklist"
        click.echo(f"{organisation.name} uses {now.checklist.label} ({whose}), SHA-256 {now.checklist.sha256}")
        if now.checklist.based_on:
            click.echo(f"  based on {now.checklist.based_on}")
        if now.newer_shipped:
            click.echo(f"  a newer shipped version exists: {now.newer_shipped}")
        for rule in now.checklist.rules:
            if not rule.enabled:
                click.echo(f"  {rule.id} is switched off: {rule.disabled_reason}")
        for change in checklists.change_log(now.checklist):
            detail = ", ".join(f"{k} {v}" for k, v in change.items() if k not in ("check", "kind"))
            click.echo(f"  change: {change['check']} {change['kind']}" + (f" ({detail})" if detail else ""))

    @group.command("history")
    @org_option
    @id_option
    def history(org_slug: str, checklist_id: str | None) -> None:
        """Every version of the organisation's own copy, oldest first."""
        from app.services import checklists

        organisation, _note = _organisation(org_slug)
        rows = checklists.history(organisation, checklist_id)
        if not rows:
            click.echo(f"{organisation.name} uses the shipped checklist unchanged.")
        for row in rows:
            click.echo(f"{row.version:32} {row.created_at:%Y-%m-%d %H:%M}  {row.sha256[:16]}…  {row.change_note or ''}")

    @group.command("copy")
    @org_option
    @id_option
    @reason_option
    def copy_command(org_slug: str, checklist_id: str | None, reason: str | None) -> None:
        """Make the organisation's own copy of the shipped checklist."""
        from app.services import checklists

        organisation, _note = _organisation(org_slug)
        run(lambda: checklists.copy(organisation, checklist_id=checklist_id, note=reason))

    @group.command("set")
    @click.argument("check_id")
    @click.argument("name")
    @click.argument("value")
    @org_option
    @id_option
    @reason_option
    def set_command(
        check_id: str, name: str, value: str, org_slug: str, checklist_id: str | None, reason: str | None
    ) -> None:
        """Change a threshold or word list: `flask checklist set ES-01 min_share 0.4 --reason "…"`."""
        from app.services import checklists

        organisation, _note = _organisation(org_slug)
        parsed = checklists.parse_value(value)
        run(
            lambda: checklists.set_param(
                organisation, check_id.upper(), name, parsed, reason=reason, checklist_id=checklist_id
            )
        )

    @group.command("severity")
    @click.argument("check_id")
    @click.argument("level", type=click.Choice(["critical", "high", "medium", "low", "info"]))
    @org_option
    @id_option
    @reason_option
    def severity_command(
        check_id: str, level: str, org_slug: str, checklist_id: str | None, reason: str | None
    ) -> None:
        """Change a check's severity."""
        from app.services import checklists

        organisation, _note = _organisation(org_slug)
        run(
            lambda: checklists.set_severity(
                organisation, check_id.upper(), level, reason=reason, checklist_id=checklist_id
            )
        )

    @group.command("disable")
    @click.argument("check_id")
    @click.option("--reason", required=True, help="Why the check is switched off: recorded with the new version.")
    @org_option
    @id_option
    def disable_command(check_id: str, reason: str, org_slug: str, checklist_id: str | None) -> None:
        """Switch a check off, with the reason."""
        from app.services import checklists

        organisation, _note = _organisation(org_slug)
        run(lambda: checklists.disable(organisation, check_id.upper(), reason, checklist_id=checklist_id))

    @group.command("enable")
    @click.argument("check_id")
    @org_option
    @id_option
    @reason_option
    def enable_command(check_id: str, org_slug: str, checklist_id: str | None, reason: str | None) -> None:
        """Switch a check back on."""
        from app.services import checklists

        organisation, _note = _organisation(org_slug)
        run(lambda: checklists.enable(organisation, check_id.upper(), reason=reason, checklist_id=checklist_id))

    app.cli.add_command(group)


def _returned_workbook(path: Path) -> Book | None:
    from app.services.reports import returned_workbook

    return returned_workbook(path)  # by content: a Provenance sheet and the Findings header


def _import_returned_workbook(book: Book, org_slug: str | None, as_json: bool) -> dict[str, Any]:
    """Attach the agency's responses in a returned audit workbook to its audit's findings."""
    from app.services.reports import ResponsesRefused, import_responses
    from audits.workbook import WorkbookUnreadable

    path = book.path
    organisation = _organisation(org_slug)[0] if org_slug else None
    try:
        outcome = import_responses(
            book,
            path.name,
            organisation_id=organisation.id if organisation else None,
            actor_label=f"{path.name} (returned workbook, command line)",
        )
    except WorkbookUnreadable as error:
        fail(str(error), 2)
    except ResponsesRefused as error:
        fail(str(error), 1)
    if not as_json:
        click.echo(outcome.describe())
        for problem in outcome.invalid:
            click.echo(f"  {path.name} row {problem.row}, {problem.column}: {problem.message}")
    return outcome.as_dict()


def _campaign(org_slug: str | None, ref: str) -> tuple[Organisation, Any]:
    """Find a campaign by reference: in --org if given, else in whichever organisation has it."""
    from sqlalchemy import select

    from app.models import Campaign

    if org_slug:
        organisation, _note = _organisation(org_slug)
        campaign = campaigns_dao.campaign_by_ref(organisation.id, ref)
        if campaign is None:
            fail(f"there is no campaign {ref!r} in {organisation.name}")
        return organisation, campaign
    matches = list(db.session.scalars(select(Campaign).where(Campaign.ref == ref.strip())))
    if not matches:
        fail(f"there is no campaign {ref!r}: import its Campaigns row first")
    if len(matches) > 1:
        fail(f"several organisations have a campaign {ref!r}: give --org")
    campaign = matches[0]
    organisation = db.session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    return organisation, campaign


def _print_advert_result(result: dict[str, Any]) -> None:
    summary = result["summary"]
    click.echo(f"{result['file']}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    for finding in result["findings"]:
        if finding["status"] in ("fail", "warn"):
            click.echo(
                f"  {finding['status'].upper():5} {finding['check']:8} {finding['title']} [{finding['severity']}]"
            )
            click.echo(f"        {finding['summary']}")
