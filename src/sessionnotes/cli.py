"""`sessionnotes`: starts the app, or runs one scripting verb.

Passphrase: --passphrase-file F, else $SESSIONNOTES_PASSPHRASE, else an interactive prompt.
Vault: --vault PATH, else $SESSIONNOTES_VAULT, else the platform's user data folder.
Errors are one human sentence plus what to do, on stderr, with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .domain.models import ClientSummary
    from .vault.repository import Repository

EXIT_USAGE = 2
EXIT_VAULT = 3
EXIT_UNEXPECTED = 70
MAX_NOTE_BYTES = 2 * 1024 * 1024  # a note larger than this is almost certainly the wrong file


class CliError(Exception):
    def __init__(self, message: str, hint: str = "", code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.hint = hint
        self.code = code


def installed_version() -> str:
    """The version of the installed package (the wheel's metadata), else the source tree's."""
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__

    try:
        return version("sessionnotes")
    except PackageNotFoundError:
        return __version__


# -- arguments ---------------------------------------------------------------------------------


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (reading the package
    metadata costs time every start otherwise)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kw: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"sessionnotes {installed_version()}")
        parser.exit()


def _common(p: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    p.add_argument(
        "--vault", metavar="PATH", default=default, help="vault folder (default: $SESSIONNOTES_VAULT or your data folder)"
    )
    p.add_argument("--passphrase-file", metavar="FILE", default=default, help="read the passphrase from the first line of FILE")


UPDATABLE_CLIENT_FIELDS = (
    "name",
    "pseudonym",
    "gp_name",
    "practice",
    "practice_address",
    "address",
    "postcode",
    "phone",
    "email",
    "referral_source",
    "referral_positioning",
    "referral_reaction",
    "presenting_symptoms",
    "investigations",
    "long_term_conditions",
    "risk_notes",
    "referrer_goal",
    "patient_goal",
    "preferred_term",
    "explanatory_model",
    "other_professionals",
    "concurrent_appointments",
    "emotional_agreement",
    "supervision_questions",
)


def _formulation_fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lens", help="structural, relational or intra-psychic")
    p.add_argument("--status", help="private, shared-in-part or shared")
    p.add_argument("--confidence", help="hunch, working-hypothesis or supported")
    p.add_argument("--date-shared", metavar="YYYY-MM-DD")
    p.add_argument("--channel", help="spoken, written or letter")
    p.add_argument("--response", help="not-yet, resonated, neutral or disputed")
    p.add_argument("--evidence", nargs="*", metavar="SID", help="session ids supporting the item")
    p.add_argument("--five-p", help="predisposing, precipitating, perpetuating or protective")
    p.add_argument("--cycle", help="thought, emotion, body or behaviour")


def _session_fields(p: argparse.ArgumentParser) -> None:
    _common(p, suppress=True)
    p.add_argument("--client", required=True, metavar="ID")
    p.add_argument("--from-json", metavar="FILE", help="the session as 'session show --json' prints it ('-' reads stdin)")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--stage", help="drawing-in, meeting or nudging-forward")
    p.add_argument("--attendance", help="attended, late, dna, cancelled-by-patient, cancelled-by-therapist")
    p.add_argument("--reason", help="why a session was missed or cut short")
    p.add_argument("--body-talk", type=int, choices=range(0, 4), metavar="0-3")
    p.add_argument("--duration", type=int, metavar="MINUTES")
    p.add_argument("--file", metavar="NOTE.md", help="the note in Markdown ('-' reads standard input)")
    p.add_argument("--private-file", metavar="FILE", help="the private process note")
    p.add_argument("--strategies", metavar="CODES", help="sub-strategy codes used, e.g. 6.1,6.2")
    p.add_argument("--feelings", metavar="NAMES", help="your feelings, e.g. bored,irritated (with 'other': --feeling-other)")
    p.add_argument("--feeling-other", metavar="TEXT")
    p.add_argument("--ticks", metavar="NAMES", help="rupture, repair, token-agreement (compliance), passivity, no-recollection")
    p.add_argument("--themes", metavar="A,B")
    p.add_argument("--homework")
    p.add_argument("--plan")


def build_parser(verbs: bool = True) -> argparse.ArgumentParser:
    """The command line; ``verbs=False``: only the options of the app itself (see ``_starts_the_app``)."""
    parser = argparse.ArgumentParser(
        prog="sessionnotes",
        description="Encrypted session notes for therapists. With no command, starts the app.",
    )
    _common(parser, suppress=False)
    parser.add_argument("--demo", action="store_true", help="open a fictional demo vault (no real data)")
    parser.add_argument("--reset", action="store_true", help="with --demo: delete the demo vault's changes and start it afresh")
    parser.add_argument("--version", action=_VersionAction)
    if not verbs:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def cmd(name: str, help: str, **kw: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, **kw)
        _common(p, suppress=True)
        return p

    p = cmd("init", "create a new encrypted vault (prints the recovery key once)")
    p.add_argument("--kdf-memory-mib", type=int, help="Argon2id memory in MiB (default: calibrated to about 0.5 s; minimum 64)")

    client = cmd("client", "add or list clients")
    csub = client.add_subparsers(dest="client_command", metavar="ACTION", required=True)
    ca = csub.add_parser("add", help="add a client; prints the new client id")
    _common(ca, suppress=True)
    ca.add_argument("--name", required=True)
    ca.add_argument("--pseudonym", default="")
    ca.add_argument("--dob", metavar="YYYY-MM-DD")
    ca.add_argument("--nhs-number", default="")
    ca.add_argument("--gp", default="", help="GP's name")
    ca.add_argument("--practice", default="")
    ca.add_argument("--practice-address", default="")
    ca.add_argument("--referral-date", metavar="YYYY-MM-DD")
    ca.add_argument("--referral-source", default="")
    cl = csub.add_parser("list", help="list clients")
    _common(cl, suppress=True)
    cl.add_argument("--all", action="store_true", help="include discharged clients")
    cl.add_argument("--json", action="store_true")
    cs = csub.add_parser("show", help="show one client's record")
    _common(cs, suppress=True)
    cs.add_argument("--client", required=True, metavar="ID")
    cs.add_argument("--json", action="store_true")

    session = cmd("session", "add, update, sign, list or show sessions")
    ssub = session.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    sa = ssub.add_parser("add", help="add a session; prints the new session id")
    _session_fields(sa)
    su = ssub.add_parser("update", help="change an unsigned session (only the keys and options given)")
    _session_fields(su)
    su.add_argument("--session", required=True, metavar="SID")
    sg = ssub.add_parser("sign", help="sign a session: its content is then fixed (addenda only)")
    _common(sg, suppress=True)
    sg.add_argument("--client", required=True, metavar="ID")
    sg.add_argument("--session", required=True, metavar="SID")
    sl = ssub.add_parser("list", help="list a client's sessions")
    _common(sl, suppress=True)
    sl.add_argument("--client", required=True, metavar="ID")
    sl.add_argument("--json", action="store_true")
    sh = ssub.add_parser("show", help="show one session")
    _common(sh, suppress=True)
    sh.add_argument("--client", required=True, metavar="ID")
    sh.add_argument("--session", required=True, metavar="SID")
    sh.add_argument("--json", action="store_true")

    cu = csub.add_parser("update", help="change fields of a client's record")
    _common(cu, suppress=True)
    cu.add_argument("--client", required=True, metavar="ID")
    for name in UPDATABLE_CLIENT_FIELDS:
        cu.add_argument("--" + name.replace("_", "-"), dest=name)
    cu.add_argument("--nhs-number", dest="nhs_number", help="10 digits, any spacing ('' clears it)")
    cu.add_argument("--dob", metavar="YYYY-MM-DD", help="date of birth ('' clears it)")
    cu.add_argument("--referral-date", metavar="YYYY-MM-DD", help="('' clears it)")
    cu.add_argument("--aka", metavar="NAME,NAME", help="other names the client goes by (replaces the list; '' clears it)")
    cu.add_argument(
        "--keep-out", metavar="NAME,NAME", help="people and places to keep out of summaries (replaces the list; '' clears it)"
    )

    formulation = cmd("formulation", "add to, change or list a client's layered formulation")
    fsub = formulation.add_subparsers(dest="formulation_command", metavar="ACTION", required=True)
    fa = fsub.add_parser("add", help="add a formulation item; prints its id (warnings on stderr)")
    _common(fa, suppress=True)
    fa.add_argument("--client", required=True, metavar="ID")
    fa.add_argument("--layer", required=True, help="L0 validation .. L5 deep/developmental")
    fa.add_argument("--text", required=True)
    _formulation_fields(fa)
    fu = fsub.add_parser("update", help="record a change to an item (a new version; history is kept)")
    _common(fu, suppress=True)
    fu.add_argument("--client", required=True, metavar="ID")
    fu.add_argument("--item", required=True, metavar="ITEM")
    fu.add_argument("--layer")
    fu.add_argument("--text")
    _formulation_fields(fu)
    fl = fsub.add_parser("list", help="the formulation now, or as it stood on a date")
    _common(fl, suppress=True)
    fl.add_argument("--client", required=True, metavar="ID")
    fl.add_argument("--as-of", metavar="YYYY-MM-DD")
    fl.add_argument("--shared-only", action="store_true", help="only what had been shared with the patient")
    fl.add_argument("--json", action="store_true")
    fh = fsub.add_parser("history", help="every version of one item")
    _common(fh, suppress=True)
    fh.add_argument("--client", required=True, metavar="ID")
    fh.add_argument("--item", required=True, metavar="ITEM")
    fh.add_argument("--json", action="store_true")

    p = cmd("stages", "the stage timeline of a client's sessions")
    p.add_argument("--client", required=True, metavar="ID")
    p.add_argument("--json", action="store_true")

    gp = cmd("gp-contact", "log contacts with the GP (drawing in)")
    gsub = gp.add_subparsers(dest="gp_command", metavar="ACTION", required=True)
    ga = gsub.add_parser("add", help="log a contact with the GP or practice")
    _common(ga, suppress=True)
    ga.add_argument("--client", required=True, metavar="ID")
    ga.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    ga.add_argument("--kind", required=True, help="letter, call, joint-consultation, corridor, consultation-only, email, meeting")
    ga.add_argument("--with", dest="with_whom", default="")
    ga.add_argument("--discussed", default="")
    ga.add_argument("--agreed", default="")
    gl = gsub.add_parser("list", help="the GP contact log")
    _common(gl, suppress=True)
    gl.add_argument("--client", required=True, metavar="ID")
    gl.add_argument("--json", action="store_true")

    measure = cmd("measure", "record or list outcome measures (PHQ-9, GAD-7, PHQ-15, WSAS, CORE-10)")
    msub = measure.add_subparsers(dest="measure_command", metavar="ACTION", required=True)
    ma = msub.add_parser("add", help="record one completed measure; prints its id")
    _common(ma, suppress=True)
    ma.add_argument("--client", required=True, metavar="ID")
    ma.add_argument("--instrument", required=True, help="phq9, gad7, phq15, wsas or core10")
    ma.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    ma.add_argument("--items", required=True, help="answers in order, e.g. 1,2,0,-,na  ('-' unanswered, 'na' not applicable)")
    ma.add_argument(
        "--prorate", action="store_true", help="allow a prorated total when a few items are unanswered (marked as prorated)"
    )
    ml = msub.add_parser("list", help="a client's measures over time, with bands and reliable change")
    _common(ml, suppress=True)
    ml.add_argument("--client", required=True, metavar="ID")
    ml.add_argument("--json", action="store_true")

    p = cmd("export", "write a letter, supervision summary or full record to an (unencrypted) file")
    p.add_argument("kind", choices=("letter", "supervision", "record"))
    p.add_argument("--client", metavar="ID")
    p.add_argument("--clients", metavar="ID,ID", help="supervision: several clients in one summary")
    p.add_argument(
        "--since", metavar="YYYY-MM-DD|last", help="supervision: only this period ('last': since each client's last summary)"
    )
    p.add_argument(
        "--letter", metavar="LETTER", help="letter: which letter (default: the latest; a draft is made if there is none)"
    )
    p.add_argument("--format", required=True, choices=("md", "html", "pdf"))
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--include-private-notes", action="store_true", help="record: include private process notes (with a warning)")
    p.add_argument(
        "--include-private-formulation",
        action="store_true",
        help="record: include formulation items never shared with the patient (with a warning)",
    )
    p.add_argument(
        "--reviewed",
        action="store_true",
        help="supervision: I have read the words listed as possible names and none should be kept out",
    )

    letter = cmd("letter", "draft, check and track GP assessment letters")
    lsub = letter.add_subparsers(dest="letter_command", metavar="ACTION", required=True)
    ld = lsub.add_parser("draft", help="draft a letter from the template; prints its id")
    _common(ld, suppress=True)
    ld.add_argument("--client", required=True, metavar="ID")
    ld.add_argument(
        "--to", choices=("patient", "gp"), default="patient", help="patient named, GP copied (default), or the reverse"
    )
    ld.add_argument(
        "--signed-by", metavar="TEXT", default=None, help="your name and role under the letter (kept for later letters)"
    )
    ld.add_argument(
        "--quote-referral",
        action="store_true",
        help="put the referral's own wording in the letter (checked as your own words); by default it is described",
    )
    ld.add_argument(
        "--include-item",
        action="append",
        default=[],
        metavar="ITEM",
        help="a formulation item only ever shared by talking that you choose to put in writing (repeatable)",
    )
    ll = lsub.add_parser("list", help="a client's letters")
    _common(ll, suppress=True)
    ll.add_argument("--client", required=True, metavar="ID")
    ll.add_argument("--json", action="store_true")
    lsh = lsub.add_parser("show", help="print a letter's own text (the text 'letter edit' takes back)")
    _common(lsh, suppress=True)
    lsh.add_argument("--client", required=True, metavar="ID")
    lsh.add_argument("--letter", required=True, metavar="LETTER")
    lsh.add_argument("--json", action="store_true", help="the letter with its steps, dates and kept wordings")
    lc = lsub.add_parser("check", help="language findings for a letter")
    _common(lc, suppress=True)
    lc.add_argument("--client", required=True, metavar="ID")
    lc.add_argument("--letter", required=True, metavar="LETTER")
    lc.add_argument("--json", action="store_true")
    le = lsub.add_parser("edit", help="replace a letter's text from a file (a sent letter gets a new version)")
    _common(le, suppress=True)
    le.add_argument("--client", required=True, metavar="ID")
    le.add_argument("--letter", required=True, metavar="LETTER")
    le.add_argument("--file", required=True, metavar="LETTER.md")
    la = lsub.add_parser("acknowledge", help="keep the current wording despite high-severity findings (recorded)")
    _common(la, suppress=True)
    la.add_argument("--client", required=True, metavar="ID")
    la.add_argument("--letter", required=True, metavar="LETTER")
    la.add_argument("--note", default="", help="why the wording stays (required; kept with the letter)")
    lst = lsub.add_parser("status", help="record that a letter was shown to the patient, agreed, or sent")
    _common(lst, suppress=True)
    lst.add_argument("--client", required=True, metavar="ID")
    lst.add_argument("--letter", required=True, metavar="LETTER")
    lst.add_argument("--shown", metavar="YYYY-MM-DD")
    lst.add_argument("--comments", help="the patient's comments when shown")
    lst.add_argument("--changes", help="changes made after showing it")
    lst.add_argument("--agreed", metavar="YYYY-MM-DD")
    lst.add_argument("--sent", metavar="YYYY-MM-DD")
    lst.add_argument("--to", dest="sent_to", help="who it was sent to")

    p = cmd("search", "search every note, addendum, formulation item and letter")
    p.add_argument(
        "query", metavar="QUERY", help='words (prefixes), "exact phrases", and filters such as stage:meeting attendance:dna'
    )
    p.add_argument("--stage")
    p.add_argument("--attendance")
    p.add_argument("--flag", help="only clients with this open flag kind")
    p.add_argument("--status", choices=("open", "discharged"))
    p.add_argument("--since", metavar="YYYY-MM-DD")
    p.add_argument("--until", metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    p = cmd("flags", "process-issue flags for a client (prompts for reflection, not verdicts)")
    p.add_argument("--client", required=True, metavar="ID")
    p.add_argument("--dismiss", metavar="KEY", help="dismiss the flag with this key (needs --reason)")
    p.add_argument("--reason", default="", help="why the flag does not need attention now (kept in history)")
    p.add_argument("--json", action="store_true")

    p = cmd("check-language", "check wording for stigmatising, dualistic or over-certain language")
    p.add_argument("file", metavar="FILE", help="a text or Markdown file ('-' reads standard input)")
    p.add_argument("--context", choices=("letter", "shared", "private"), default="letter")
    p.add_argument("--preferred-term", default="", help="the patient's preferred term for the symptoms")
    p.add_argument("--json", action="store_true")

    p = cmd("verify", "authenticate every vault file and check audit trails; exit 0 only when all are intact")
    p.add_argument("--json", action="store_true")
    cmd("passwd", "change the passphrase (new one from a prompt or $SESSIONNOTES_NEW_PASSPHRASE)")
    rk = cmd("recovery-key", "manage the recovery key")
    rksub = rk.add_subparsers(dest="recovery_command", metavar="ACTION", required=True)
    p = rksub.add_parser("rotate", help="issue a new recovery key (printed once); the old one stops working")
    _common(p, suppress=True)
    p = cmd("recover", "set a new passphrase using the recovery key")
    p.add_argument("--recovery-key", required=True, metavar="KEY")
    p = cmd("backup", "write one encrypted archive of the whole vault")
    p.add_argument("--out", required=True, metavar="FILE")
    p = cmd("restore", "recreate a vault from an encrypted archive (into a folder without a vault)")
    p.add_argument("archive", metavar="FILE")
    p = cmd("restore-file", "replace one damaged vault file with its newest intact backup")
    p.add_argument("name", metavar="NAME", help="as printed by verify, e.g. clients/1a2b3c4d5e.snv")
    p = cmd("gen-demo", "fill a vault with fictional clients and sessions (for demos and benchmarks)")
    p.add_argument("--clients", type=int, default=12)
    p.add_argument("--sessions", type=int, default=120, help="sessions in total, spread over the clients")
    p.add_argument("--seed", type=int, default=1)
    cmd("demo", "open a fictional demo vault in the app").add_argument(
        "--reset", action="store_true", help="delete the demo vault's changes and start it afresh"
    )
    return parser


# -- passphrase and vault ------------------------------------------------------------------------


def vault_path(args: argparse.Namespace) -> Path:
    if getattr(args, "vault", None):
        return Path(args.vault).expanduser()
    if os.environ.get("SESSIONNOTES_VAULT"):
        return Path(os.environ["SESSIONNOTES_VAULT"]).expanduser()
    from .vault import default_vault_path

    return default_vault_path()


def _read_secret_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            line = f.readline()
    except OSError as e:
        raise CliError(f"Could not read the passphrase file {path}: {e.strerror}.", "Check the path and its permissions.") from e
    secret = line.rstrip("\r\n")
    if not secret:
        raise CliError(f"The passphrase file {path} is empty.")
    return secret


def passphrase(args: argparse.Namespace, *, confirm: bool = False, prompt: str = "Passphrase: ") -> str:
    if getattr(args, "passphrase_file", None):
        return _read_secret_file(args.passphrase_file)
    env = os.environ.get("SESSIONNOTES_PASSPHRASE")
    if env:
        return env
    return _prompt_secret(prompt, confirm)


def _prompt_secret(prompt: str, confirm: bool) -> str:
    if not sys.stdin.isatty():
        raise CliError(
            "No passphrase was given and there is no terminal to ask for one.",
            "Set SESSIONNOTES_PASSPHRASE or use --passphrase-file FILE.",
        )
    import getpass

    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to confirm: ") != first:
        raise CliError("The two passphrases were different; nothing was changed.", "Run the command again.")
    return first


def open_vault(args: argparse.Namespace):
    from .vault import Vault

    path = vault_path(args)
    Vault.read_meta(path)  # a missing or damaged vault is reported before asking for anything
    vault = Vault.open(path, passphrase(args))
    _report_finished_rotation(vault)
    return vault


def _report_finished_rotation(vault: Any) -> None:
    if vault.rotation_report is not None:
        from .vault.rotation import describe

        print("An interrupted passphrase change was finished now; use the new passphrase from now on.", file=sys.stderr)
        print("\n".join(describe(vault.rotation_report)), file=sys.stderr)
    if vault.repair_note:
        print(vault.repair_note, file=sys.stderr)
    for name, why in vault.integrity_warnings():  # rolled back or deleted files: say so at once
        print(f"Warning: {name}: {why}. Details: sessionnotes verify", file=sys.stderr)


def _date(text: str | None, what: str) -> dt.date | None:
    if not text:
        return None
    from .domain.models import parse_iso_date

    try:
        return parse_iso_date(text, what)
    except ValueError as e:
        raise CliError(str(e), "Write dates as YYYY-MM-DD, e.g. 2026-03-02; nothing was saved.") from None


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "date not recorded"


def _required_date(text: str | None, what: str) -> dt.date:
    day = _date(text, what)
    if day is None:
        raise CliError(f"{what} is missing.", "Give it as YYYY-MM-DD, e.g. --date 2026-03-02.")
    return day


def _print_json(obj: Any) -> None:
    import json

    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _kdf_params(mib: int | None):
    from .vault import crypto

    if mib is None:
        return None
    if mib < 64:
        raise CliError("--kdf-memory-mib must be at least 64.", "64 MiB is the lowest safe setting (RFC 9106).")
    if mib * 1024 > crypto.PRODUCTION_LIMITS.max_memory_kib:
        top = crypto.PRODUCTION_LIMITS.max_memory_kib // 1024
        raise CliError(f"--kdf-memory-mib must be at most {top}.", "More would make every unlock slow for no real gain.")
    return crypto.new_params(memory_kib=mib * 1024)


# -- verbs ---------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from .vault import Vault
    from .vault.passphrase import generate_passphrase, strength

    path = vault_path(args)
    if (path / "vault.json").exists():
        from .vault import VaultExists

        raise VaultExists(str(path))
    params = _kdf_params(args.kdf_memory_mib)
    if not getattr(args, "passphrase_file", None) and not os.environ.get("SESSIONNOTES_PASSPHRASE") and sys.stdin.isatty():
        print(f"Choose a passphrase of several words. A generated one you could use:\n\n    {generate_passphrase()}\n")
        pw = _prompt_secret("New passphrase: ", confirm=True)
    else:
        pw = passphrase(args)
    ok, _ = strength(pw)
    if ok:
        print("Setting up encryption (this takes a moment on purpose)...", file=sys.stderr)
    vault, recovery = Vault.create(path, pw, params=params)
    vault.close()
    print(f"Created an encrypted vault at {path}\n")
    print("RECOVERY KEY (shown only this once):\n")
    print(f"    {recovery}\n")
    print("Write it down on paper and keep it somewhere safe, away from this computer.")
    print("It is the only way back in if you forget your passphrase: without both, the notes cannot be recovered.")
    return 0


def _nhs(text: str) -> str:
    """An NHS number as stored (digits only), or '' when none is given."""
    from .domain.nhs import normalise_nhs_number

    if not text.strip():
        return ""
    try:
        return normalise_nhs_number(text)
    except ValueError as e:
        raise CliError(str(e), "Nothing was saved.") from None


def _client_from_args(args: argparse.Namespace):
    from .domain.models import Client

    nhs = _nhs(args.nhs_number)
    c = Client(
        name=args.name.strip(),
        pseudonym=args.pseudonym,
        dob=_date(args.dob, "Date of birth"),
        nhs_number=nhs,
        gp_name=args.gp,
        practice=args.practice,
        practice_address=args.practice_address,
        referral_date=_date(args.referral_date, "Referral date"),
        referral_source=args.referral_source,
    )
    errors = c.validate(dt.date.today())  # noqa: DTZ011 - the local calendar date is meant
    if errors:
        raise CliError(" ".join(e.message for e in errors), "Nothing was saved; correct it and run the command again.")
    return c


def _with_open_flags(repo: Repository, rows: list[ClientSummary]) -> tuple[list[ClientSummary], set[str]]:
    """The caseload rows with their open flag counts as the app's caseload shows them (the number of
    open flag kinds), and the clients with an open risk item from a questionnaire."""
    import dataclasses

    from . import services
    from .analysis.cache import AnalysisCache

    kinds = services.caseload_flag_kinds(repo, cache=AnalysisCache())
    risky = {cid for cid, k in kinds.items() if "measure-risk" in k}
    return [dataclasses.replace(r, open_flags=len(kinds.get(r.id, ()))) for r in rows], risky


def cmd_client(args: argparse.Namespace) -> int:
    from .vault.repository import Repository

    if args.client_command == "update":
        return cmd_client_update(args)
    if args.client_command == "add":
        client = _client_from_args(args)  # validate before asking for the passphrase
        with open_vault(args) as vault:
            print(Repository(vault).add_client(client))
        return 0
    with open_vault(args) as vault:
        repo = Repository(vault)
        if args.client_command == "list":
            rows, risky = _with_open_flags(repo, repo.list_clients(include_discharged=args.all))
            if args.json:
                _print_json({"clients": [r.to_dict() for r in rows]})
            elif not rows:
                print("No clients yet. Add one with: sessionnotes client add --name NAME")
            else:
                for r in rows:
                    last = r.last_session.isoformat() if r.last_session else "-"
                    flags = f"flags {r.open_flags}" + (" RISK" if r.id in risky else "")
                    seen = f"last {last:<10}  sessions {r.sessions:<3} DNAs {r.dnas:<3}"
                    print(f"{r.id}  {r.name:<30} {r.stage or '-':<16} {seen} {flags}")
        else:
            c = repo.get_client(args.client)
            if args.json:
                _print_json({"client": c.to_dict()})
            else:
                for k, v in c.to_dict().items():
                    if v not in ("", None, [], {}) and k not in ("schema", "extra"):
                        print(f"{k:>22}: {v}")
    return 0


def _read_note(path: str) -> str:
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_NOTE_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_NOTE_BYTES + 1)
    except OSError as e:
        raise CliError(f"Could not read the note file {path}: {e.strerror}.", "Check the path.") from e
    if len(data) > MAX_NOTE_BYTES:
        raise CliError(
            f"The note is larger than {MAX_NOTE_BYTES // (1024 * 1024)} MB; it does not look like a session note.",
            "Check that you gave the right file; nothing was saved.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError("The note file is not UTF-8 text.", "Save it as plain UTF-8 text (Markdown) and try again.") from None


def _session_options(args: argparse.Namespace):
    from . import session_input as si

    fields = {name: getattr(args, name) for name in si.SessionOptions.__dataclass_fields__ if hasattr(args, name)}
    fields["note"] = _read_note(args.file) if args.file else None
    fields["private_note"] = si.read_text_file(args.private_file, "private note") if args.private_file else None
    data = si.read_session_json(args.from_json) if args.from_json else None
    return data, si.SessionOptions(**fields)


def cmd_session(args: argparse.Namespace) -> int:
    from . import session_input as si
    from .vault.errors import DurabilityUnknown
    from .vault.repository import Repository

    try:
        if args.session_command == "add":
            data, opts = _session_options(args)
            s, notes = si.new_session(data, opts)
            with open_vault(args) as vault:
                try:
                    print(Repository(vault).add_session(args.client, s))
                except DurabilityUnknown:
                    print(f"Session {s.id} was written (it reads back from the disk) but not confirmed.", file=sys.stderr)
                    raise
            for line in notes:
                print(line, file=sys.stderr)
            return 0
        if args.session_command == "update":
            data, opts = _session_options(args)
            with open_vault(args) as vault:
                repo = Repository(vault)
                repo.update_session(args.client, si.merged_session(repo.get_session(args.client, args.session), data, opts))
            print(f"Updated session {args.session}.")
            return 0
    except si.SessionInputError as e:
        raise CliError(str(e), e.hint) from None
    with open_vault(args) as vault:
        repo = Repository(vault)
        if args.session_command == "sign":
            print(si.describe_sign(repo.sign_session(args.client, args.session)))
        elif args.session_command == "list":
            sessions = repo.list_sessions(args.client)
            if args.json:
                _print_json({"client": args.client, "sessions": [_session_row(s) for s in sessions]})
            elif not sessions:
                print("No sessions yet.")
            else:
                for s in sessions:
                    bt = "-" if s.body_talk is None else str(s.body_talk)
                    signed = "signed" if s.is_signed else "draft"
                    when = s.date.isoformat()
                    print(f"{s.id}  #{s.number:<3} {when}  {s.stage:<16} {s.attendance.value:<22} body-talk {bt}  {signed}")
        else:
            s = repo.get_session(args.client, args.session)
            if args.json:
                _print_json({"client": args.client, "session": s.to_dict()})
            else:
                print(f"Session #{s.number} on {s.date.isoformat()} - {s.stage}, {s.attendance.value}")
                print()
                print(s.note)
                for a in s.addenda:
                    print(f"\nAddendum ({a.created.isoformat(timespec='minutes')}):\n{a.text}")
    return 0


def _session_row(s) -> dict:
    return {
        "id": s.id,
        "number": s.number,
        "date": s.date.isoformat(),
        "stage": s.stage,
        "attendance": s.attendance.value,
        "body_talk": s.body_talk,
        "signed": s.is_signed,
        "words": len(s.note.split()),
    }


def cmd_verify(args: argparse.Namespace) -> int:
    from .vault.repository import Repository

    with open_vault(args) as vault:
        bad = vault.verify()
        bad_names = {name for name, _ in bad}
        repo = Repository(vault)
        for cid in vault.client_ids():
            if f"clients/{cid}.snv" in bad_names:
                continue
            for problem in repo.check_integrity(cid):
                bad.append((f"clients/{cid}.snv", problem))
        files = 1 + len(vault.client_ids())
    if getattr(args, "json", False):
        _print_json({"ok": not bad, "files_checked": files, "problems": [{"file": f, "reason": r} for f, r in bad]})
    elif bad:
        for name, reason in bad:
            print(f"DAMAGED  {name}: {reason}")
        print(f"\n{len(bad)} problem(s). Replace a damaged file with its newest good backup: sessionnotes restore-file NAME")
    else:
        print(f"All {files} vault files are intact and authenticated; audit trails are unbroken.")
    return 1 if bad else 0


def _announce_recovery_key(key: str) -> None:
    print("NEW RECOVERY KEY (the old one no longer works; shown only this once):\n")
    print(f"    {key}\n")
    print("Write it down on paper and keep it somewhere safe, away from this computer.\n", flush=True)


def _rotate(vault: Any, new: str) -> None:
    from .vault.rotation import describe

    print("Re-encrypting the vault under a new key (this takes a moment on purpose)...", file=sys.stderr)
    _, report = vault.change_passphrase(new, announce=_announce_recovery_key)
    print("\n".join(describe(report)))


def cmd_passwd(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    with vault:
        new = os.environ.get("SESSIONNOTES_NEW_PASSPHRASE") or _prompt_secret("New passphrase: ", confirm=True)
        _rotate(vault, new)
    print("Passphrase changed.")
    return 0


def cmd_recovery_key(args: argparse.Namespace) -> int:
    from .vault import Vault
    from .vault.rotation import describe

    path = vault_path(args)
    Vault.read_meta(path)
    pw = passphrase(args)
    with Vault.open(path, pw) as vault:
        _report_finished_rotation(vault)
        print("Issuing a new recovery key and re-encrypting the vault under a new key...", file=sys.stderr)
        _, report = vault.rotate_recovery_key(pw, announce=_announce_recovery_key)
    print("\n".join(describe(report)))
    print("The old recovery key no longer opens this vault. Your passphrase is unchanged.")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from .vault import Vault

    path = vault_path(args)
    Vault.read_meta(path)
    with Vault.open_with_recovery_key(path, args.recovery_key) as vault:
        _report_finished_rotation(vault)
        new = os.environ.get("SESSIONNOTES_NEW_PASSPHRASE") or passphrase(args, confirm=True, prompt="New passphrase: ")
        _rotate(vault, new)
    print("A new passphrase is set.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        n, left_out = vault.write_archive(args.out)
    print(f"Wrote an encrypted backup of {n} files to {args.out}. It opens with the current passphrase.")
    for name, why in left_out:
        print(f"LEFT OUT  {name}: {why}")
    if left_out:
        print(f"\n{len(left_out)} damaged file(s) were not archived. Repair each with: sessionnotes restore-file NAME")
    return 1 if left_out else 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .vault import Vault

    path = vault_path(args)
    n, damaged = Vault.restore_archive(args.archive, path, passphrase(args, prompt="Passphrase of the backup: "))
    print(f"Restored {n} files into a new vault at {path}.")
    for name, why in damaged:
        print(f"NOT RESTORED  {name}: {why}")
    if damaged:
        print(f"\n{len(damaged)} file(s) in the archive were damaged; every other file was restored.")
    return 1 if damaged else 0


def cmd_restore_file(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        used = vault.restore_file_from_backup(args.name)
    print(f"Replaced {args.name} with its backup {used.name}. Changes made after that backup are not in it.")
    return 0


def cmd_gen_demo(args: argparse.Namespace) -> int:
    from .demo import generate
    from .vault import Vault

    if args.clients < 1 or args.sessions < 0:
        raise CliError("--clients must be at least 1 and --sessions at least 0.")
    path = vault_path(args)
    pw = passphrase(args)
    if (path / "vault.json").exists():
        vault = Vault.open(path, pw)
    else:
        vault, _ = Vault.create(path, pw)
    with vault:
        generate(vault, clients=args.clients, sessions=args.sessions, seed=args.seed)
    print(f"Added {args.clients} fictional clients and {args.sessions} sessions to {path}.")
    return 0


def cmd_client_update(args: argparse.Namespace) -> int:
    from .domain.models import split_names
    from .vault.repository import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        client = repo.get_client(args.client)
        for name in UPDATABLE_CLIENT_FIELDS:
            value = getattr(args, name)
            if value is not None:
                setattr(client, name, value)
        if args.nhs_number is not None:
            client.nhs_number = _nhs(args.nhs_number)
        if args.dob is not None:
            client.dob = _date(args.dob, "Date of birth")
        if args.referral_date is not None:
            client.referral_date = _date(args.referral_date, "Referral date")
        for name in ("aka", "keep_out"):
            if getattr(args, name) is not None:
                setattr(client, name, split_names(getattr(args, name)))
        problems = client.validate(dt.date.today())  # noqa: DTZ011
        if problems:
            raise CliError(" ".join(e.message for e in problems), "Nothing was saved.")
        repo.update_client(client)
    print("Saved.")
    return 0


def _version_fields(args: argparse.Namespace) -> dict:
    out = {}
    for name in ("lens", "status", "confidence", "channel", "response", "five_p", "cycle", "layer", "text"):
        value = getattr(args, name, None)
        if value is not None:
            out[name] = value
    if getattr(args, "date_shared", None):
        out["date_shared"] = _date(args.date_shared, "Date shared")
    if getattr(args, "evidence", None) is not None:
        out["evidence"] = list(args.evidence)
    return out


def _structural(fn):
    try:
        return fn()
    except ValueError as e:
        raise CliError(str(e), "Nothing was saved.") from None


def _item_json(item, version) -> dict:
    return {"id": item.id, "created": item.created.isoformat(), "versions": len(item.versions), **version.to_dict()}


def cmd_formulation(args: argparse.Namespace) -> int:
    from . import services
    from .domain.formulation import LAYERS, formulation_as_of, shared_as_of
    from .vault.repository import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        if args.formulation_command in ("add", "update"):
            fields = _version_fields(args)
            if args.formulation_command == "add":
                text, layer = fields.pop("text"), fields.pop("layer")
                version = _structural(lambda: services.new_version(repo, text, layer, **fields))
                item = _structural(lambda: services.add_formulation_item(repo, args.client, version))
            else:
                item = _structural(lambda: services.change_formulation_item(repo, args.client, args.item, **fields))
            for w in item.current.warnings:
                print(f"warning: {w}", file=sys.stderr)
            print(item.id)
            return 0
        items = repo.list_formulation(args.client)
        if args.formulation_command == "history":
            item = next((i for i in items if i.id == args.item), None)
            if item is None:
                raise CliError(f"This client has no formulation item '{args.item}'.")
            if args.json:
                _print_json({"item": item.to_dict()})
            else:
                for n, v in enumerate(item.versions, 1):
                    print(f"v{n}  {v.at.isoformat(timespec='minutes')}  {v.layer} {v.status:<14} {v.response:<9} {v.text}")
                    for w in v.warnings:
                        print(f"      warning: {w}")
            return 0
    day = _date(args.as_of, "--as-of") if args.as_of else None
    if day is None:
        pairs = [(i, i.current) for i in items]
        if args.shared_only:
            pairs = [(i, v) for i, v in pairs if v.is_shared]
    else:
        pairs = shared_as_of(items, day) if args.shared_only else formulation_as_of(items, day)
    if args.json:
        _print_json({"client": args.client, "as_of": args.as_of, "items": [_item_json(i, v) for i, v in pairs]})
        return 0
    if not pairs:
        print("No formulation items" + (f" on {args.as_of}." if args.as_of else " yet."))
    for i, v in pairs:
        shared = f"shared {_iso(v.date_shared)} ({v.channel or 'spoken'}), {v.response}" if v.is_shared else "private"
        print(f"{i.id}  {v.layer} {LAYERS[v.layer][0]:<22} {v.confidence:<18} {shared}")
        print(f"        {v.text}")
    return 0


def cmd_stages(args: argparse.Namespace) -> int:
    from .analysis.timeline import timeline
    from .domain.stages import STAGES
    from .vault.repository import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        client = repo.get_client(args.client)
        entries = timeline(repo.list_sessions(args.client))
    if args.json:
        _print_json(
            {
                "client": args.client,
                "current_stage": entries[-1].stage if entries else "",
                "sessions": [e.to_dict() for e in entries],
                "checklist": client.stage_checklist,
            }
        )
        return 0
    goals = {s.code: s.goal for s in STAGES}
    for e in entries:
        bt = "-" if e.body_talk is None else str(e.body_talk)
        mark = f" [{e.attendance_mark}]" if e.attendance_mark else ""
        move = f"  ({e.movement_label})" if e.movement_label else ""
        print(f"#{e.number:<3} {e.date.isoformat()}  {e.stage:<16}{mark:<24} body-talk {bt}  {' '.join(e.substrategies)}{move}")
    if entries:
        print(f"\nNow: {entries[-1].stage_name} - goal: {goals[entries[-1].stage]}.")
    else:
        print("No sessions yet.")
    return 0


def cmd_gp_contact(args: argparse.Namespace) -> int:
    from .domain.liaison import CONTACT_KINDS, GPContact
    from .vault.repository import Repository

    if args.gp_command == "add":
        if args.kind not in CONTACT_KINDS:
            raise CliError(f"'{args.kind}' is not a kind of contact.", "Use one of: " + ", ".join(CONTACT_KINDS))
        contact = GPContact(
            date=_required_date(args.date, "Date"),
            kind=args.kind,
            with_whom=args.with_whom,
            discussed=args.discussed,
            agreed=args.agreed,
        )
        with open_vault(args) as vault:
            print(Repository(vault).add_gp_contact(args.client, contact))
        return 0
    with open_vault(args) as vault:
        contacts = Repository(vault).list_gp_contacts(args.client)
    if args.json:
        _print_json({"client": args.client, "contacts": [c.to_dict() for c in contacts]})
        return 0
    if not contacts:
        print("No GP contacts logged yet.")
    for c in contacts:
        print(f"{c.date.isoformat()}  {CONTACT_KINDS[c.kind]:<26} {c.with_whom}")
        if c.discussed:
            print(f"    discussed: {c.discussed}")
        if c.agreed:
            print(f"    agreed: {c.agreed}")
    return 0


def cmd_measure(args: argparse.Namespace) -> int:
    from .domain import measures as m
    from .vault.repository import Repository

    if args.measure_command == "add":
        try:
            instrument = m.instrument_by_code(args.instrument)
            responses = m.parse_items(args.items, instrument)
            result = m.MeasureResult(
                instrument=instrument.code,
                date=_required_date(args.date, "Date"),
                responses=tuple(responses),
                prorate=args.prorate,
            )
        except ValueError as e:
            raise CliError(str(e), "Nothing was saved.") from None
        with open_vault(args) as vault:
            mid = Repository(vault).add_measure(args.client, result)
        sc = result.score
        for reason in sc.risk_reasons:
            print(f"RISK: {reason}", file=sys.stderr)
        for note in sc.notes:
            print(f"note: {note}", file=sys.stderr)
        print(mid)
        return 0
    with open_vault(args) as vault:
        results = Repository(vault).list_measures(args.client)
    rows = []
    previous: dict[str, m.MeasureResult] = {}
    for r in results:
        change = m.reliable_change(r.instrument, previous[r.instrument], r) if r.instrument in previous else None
        if r.score.total is not None:
            previous[r.instrument] = r
        rows.append({**r.to_dict(), "change_since_previous": change})
    iapt = m.iapt_change_from_results(results)
    if args.json:
        _print_json({"client": args.client, "results": rows, "iapt_change": iapt.to_dict() if iapt else None})
        return 0
    if not rows:
        print("No measures recorded yet.")
    for row in rows:
        total = "incomplete" if row["total"] is None else f"{m.format_total(row['total'])}/{row['maximum']}"
        marks = " RISK" if row["risk"] else ""
        marks += " (prorated)" if row["prorated"] else ""
        since = f"  {row['change_since_previous']}" if row["change_since_previous"] else ""
        print(f"{row['date']}  {m.INSTRUMENTS[row['instrument']].name:<8} {total:<12} {row['band'] or '':<40}{marks}{since}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from . import services
    from .vault.repository import Repository

    cids = [c.strip() for c in (args.clients or "").split(",") if c.strip()] or ([args.client] if args.client else [])
    if not cids:
        raise CliError("Say which client: --client ID (or --clients ID,ID for a supervision summary).")
    if args.kind != "supervision" and len(cids) != 1:
        raise CliError(f"A {args.kind} export is for one client: use --client ID.")
    since = args.since if args.since == "last" else _date(args.since, "--since")
    if Path(args.out).exists() and not args.force:  # bad input: said before anything is opened or written
        raise CliError(
            f"{args.out} already exists; it was not overwritten.", "Choose another file name, or add --force to replace it."
        )
    with open_vault(args) as vault:
        repo = Repository(vault)
        if args.kind == "letter":
            path = services.export_letter(repo, cids[0], args.format, args.out, force=args.force, letter_id=args.letter)
            from .export.letter import gaps

            letter = repo.get_letter(cids[0], args.letter) if args.letter else repo.list_letters(cids[0])[-1]
            for gap in gaps(letter.body, repo.get_client(cids[0])):
                print(f"warning: {gap.message}.", file=sys.stderr)
        elif args.kind == "supervision":
            path = services.export_supervision(
                repo, cids, args.format, args.out, since=since, force=args.force, refuse_unreviewed=not args.reviewed
            )
        else:
            if args.include_private_notes:
                print("warning: this record export includes private process notes.", file=sys.stderr)
            if args.include_private_formulation:
                print("warning: this record export includes formulation items never shared with the patient.", file=sys.stderr)
            path = services.export_record(
                repo,
                cids[0],
                args.format,
                args.out,
                force=args.force,
                include_private=args.include_private_notes,
                include_private_formulation=args.include_private_formulation,
            )
    print(f"Wrote {path}")
    print("This file is NOT encrypted: keep it somewhere safe and delete it when it has served its purpose.", file=sys.stderr)
    if args.kind == "supervision":
        print("Read it before sharing: automatic pseudonymisation cannot know every identifier.", file=sys.stderr)
    return 0


def _finding_json(f) -> dict:
    return {
        "category": f.category,
        "severity": f.severity,
        "start": f.start,
        "end": f.end,
        "matched": f.matched,
        "why": f.why,
        "suggestion": f.suggestion,
        "quoted": f.quoted,
        "rule": f.rule,
        "replacement": f.replacement,
        "alternatives": list(f.alternatives),
    }


def cmd_letter(args: argparse.Namespace) -> int:
    from . import services
    from .vault.repository import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        if args.letter_command == "draft":
            letter = services.draft_letter(
                repo,
                args.client,
                addressee=args.to,
                signed_by=args.signed_by,
                quote_referral=args.quote_referral,
                include_items=args.include_item,
            )
            print(letter.id)
            return 0
        if args.letter_command == "list":
            letters = repo.list_letters(args.client)
            if args.json:
                _print_json({"client": args.client, "letters": [x.to_dict() for x in letters]})
            for x in [] if args.json else letters:
                print(f"{x.id}  v{x.version}  {x.status:<7} {x.created.date().isoformat()}  to {x.addressee}  {x.title}")
            return 0
        letter = repo.get_letter(args.client, args.letter)
        client = repo.get_client(args.client)
        if args.letter_command == "show":
            if args.json:
                _print_json({"client": args.client, "letter": letter.to_dict()})
            else:
                sys.stdout.write(letter.body if letter.body.endswith("\n") else letter.body + "\n")
            return 0
        if args.letter_command == "check":
            findings = services.letter_findings(client, letter.body)
            private = services.letter_private_text(repo, args.client, letter.body)
            if args.json:
                _print_json(
                    {
                        "findings": [
                            _finding_json(f) | {"acknowledged": letter.acknowledged(f.matched, f.category)} for f in findings
                        ],
                        "private": private,
                    }
                )
            for where in [] if args.json else private:
                print(f"private: the letter contains {where}")
            for f in [] if args.json else findings:
                print(f"{f.severity:<6} {f.category}: “{f.matched}” - {f.why}\n       try: {f.suggestion}")
            return 1 if private or services.blocking_findings(letter, client) else 0
        if args.letter_command == "edit":
            was_sent = letter.frozen
            letter, private = services.save_letter_text(repo, args.client, letter.id, _read_note(args.file))
            if was_sent:
                print(f"That letter was sent, so this is a new version: {letter.id}", file=sys.stderr)
            for where in private:
                print(
                    f"warning: the letter contains {where}; it cannot be shown, sent or exported until that is taken out.",
                    file=sys.stderr,
                )
            print(letter.id)
            return 0
        if args.letter_command == "acknowledge":
            n = services.acknowledge_findings(repo, args.client, letter.id, args.note)
            print(f"Acknowledged {n} finding(s); the acknowledgement is kept with the letter.")
            return 0
        # status: one step per command, through the one workflow in services
        steps = [(name, value) for name, value in (("shown", args.shown), ("agreed", args.agreed), ("sent", args.sent)) if value]
        if len(steps) != 1:
            raise CliError(
                "Give one step at a time: --shown DATE, --agreed DATE or --sent DATE --to WHOM.",
                "A letter goes draft, shown, agreed, sent, in that order; nothing was changed.",
            )
        step, value = steps[0]
        letter = services.advance_letter(
            repo,
            args.client,
            letter.id,
            step,
            _required_date(value, f"--{step}"),
            comments=args.comments,
            changes=args.changes,
            sent_to=args.sent_to or "",
        )
        print(f"Letter {letter.id} is now: {letter.status}.")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from . import services
    from .analysis.search import QueryError, parse_query
    from .vault.repository import Repository

    try:
        q = parse_query(args.query)
    except QueryError as e:
        raise CliError(str(e), 'Example: sessionnotes search "mother\'s illness" --since 2026-01-01') from None
    for name in ("stage", "attendance", "flag", "status"):
        if getattr(args, name):
            setattr(q, name, getattr(args, name).lower())
    q.since = _date(args.since, "--since") or q.since
    q.until = _date(args.until, "--until") or q.until
    with open_vault(args) as vault:
        index = services.build_index(Repository(vault), persist=True)
        hits = index.search(q, limit=args.limit)  # a flag filter reads the records
    if args.json:
        _print_json(
            {
                "query": args.query,
                "count": len(hits),
                "results": [
                    {
                        "client_id": h.doc.client_id,
                        "client": h.doc.client_name,
                        "kind": h.doc.kind,
                        "id": h.doc.ref,
                        "date": h.doc.date.isoformat() if h.doc.date else None,
                        "field": h.doc.field,
                        "stage": h.doc.stage,
                        "attendance": h.doc.attendance,
                        "score": round(h.score, 3),
                        "snippet": h.snippet,
                    }
                    for h in hits
                ],
            }
        )
        return 0
    if not hits:
        print("No matches.")
    for h in hits:
        when = h.doc.date.isoformat() if h.doc.date else "          "
        print(f"{when}  {h.doc.client_name:<24} {h.doc.field:<11} {h.snippet}")
    return 0


def cmd_flags(args: argparse.Namespace) -> int:
    from . import services
    from .vault.repository import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        flags = services.flags_for(repo, args.client)
        if args.dismiss:
            match = next((f for f in flags if f.key == args.dismiss), None)
            if match is None:
                raise CliError(
                    f"There is no flag with key '{args.dismiss}' for this client.",
                    "List them with: sessionnotes flags --client ID",
                )
            repo.dismiss_flag(args.client, match.kind, match.key, args.reason)
            print(f"Dismissed ({match.kind}); it stays visible in the history and in supervision summaries.")
            return 0
    if args.json:
        _print_json(
            {
                "client": args.client,
                "flags": [
                    f.to_dict() | {"key": f.key, "dismissed": f.dismissed, "dismissed_reason": f.dismissed_reason} for f in flags
                ],
            }
        )
        return 0
    if not flags:
        print("No process patterns flagged.")
    for f in flags:
        state = f"dismissed: {f.dismissed_reason}" if f.dismissed else f.severity
        print(f"[{state}] {f.title or f.kind}  (key {f.key})")
        print(f"    {f.summary or f.rationale}")
        for e in f.evidence[:4]:
            print(f"    - {e.date.isoformat() if e.date else ''} {e.field}: \u201c{e.phrase}\u201d")
        if f.suggestion:
            print(f"    To consider: {f.suggestion}")
    return 0


def cmd_check_language(args: argparse.Namespace) -> int:
    from .analysis.language import check

    text = _read_note(args.file)
    findings = check(text, args.context, preferred_term=args.preferred_term)
    if args.json:
        _print_json({"context": args.context, "findings": [_finding_json(f) for f in findings]})
    else:
        if not findings:
            print("No findings.")
        for f in findings:
            line = text.count("\n", 0, f.start) + 1
            quoted = " (quoted)" if f.quoted else ""
            print(
                f"line {line}: {f.severity} {f.category}{quoted}: \u201c{f.matched}\u201d\n"
                f"    why: {f.why}\n    try: {f.suggestion}"
            )
    return 1 if findings else 0


def cmd_app(args: argparse.Namespace, demo: bool) -> int:
    from .tui.launch import run_app

    reset = bool(getattr(args, "reset", False))
    if reset and not demo:
        raise CliError("--reset only resets the demo vault: use it with --demo.", "Your own vault is never reset.")
    return run_app(
        vault_path(args) if not demo else None, demo=demo, passphrase_file=getattr(args, "passphrase_file", None), reset=reset
    )


VERBS = {
    "init": cmd_init,
    "client": cmd_client,
    "session": cmd_session,
    "verify": cmd_verify,
    "passwd": cmd_passwd,
    "recover": cmd_recover,
    "recovery-key": cmd_recovery_key,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "restore-file": cmd_restore_file,
    "gen-demo": cmd_gen_demo,
    "formulation": cmd_formulation,
    "stages": cmd_stages,
    "gp-contact": cmd_gp_contact,
    "measure": cmd_measure,
    "export": cmd_export,
    "letter": cmd_letter,
    "search": cmd_search,
    "flags": cmd_flags,
    "check-language": cmd_check_language,
}


_APP_FLAGS = ("--demo", "--reset")
_APP_OPTIONS = ("--vault", "--passphrase-file")


def _starts_the_app(argv: list[str]) -> bool:
    """True when ``argv`` holds nothing but the app's own options (no verb, no help): then the
    verbs' parsers, which take about 10 ms to build, are not built on the way to the unlock screen."""
    rest = iter(argv)
    for arg in rest:
        if arg in _APP_OPTIONS:
            if next(rest, None) is None:
                return False  # the full parser says what is missing
        elif arg not in _APP_FLAGS and not arg.startswith(tuple(o + "=" for o in _APP_OPTIONS)):
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(verbs=not _starts_the_app(argv))
    args = parser.parse_args(argv)
    if args.command in (None, "demo"):  # the app owns the terminal
        return _run(args)
    from contextlib import redirect_stderr, redirect_stdout
    from typing import TextIO, cast

    from .terminal import InertStream

    # every verb prints inert text: no escape sequence from a name or a note reaches the terminal
    with redirect_stdout(cast(TextIO, InertStream(sys.stdout))), redirect_stderr(cast(TextIO, InertStream(sys.stderr))):
        return _run(args)


def _is_record_error(e: Exception) -> bool:
    """Without importing the repository when it was never loaded (the app starts without it)."""
    repository = sys.modules.get("sessionnotes.vault.repository")
    return repository is not None and isinstance(e, repository.RecordError)


def _run(args: argparse.Namespace) -> int:
    from .vault.errors import VaultError

    try:
        if getattr(args, "reset", False) and args.command not in (None, "demo"):
            raise CliError("--reset only resets the demo vault: use it as `sessionnotes --demo --reset`.")
        if args.command in (None, "demo"):
            return cmd_app(args, demo=args.demo or args.command == "demo")
        return VERBS[args.command](args)
    except (VaultError, CliError) as e:
        print(f"sessionnotes: {e}", file=sys.stderr)
        if getattr(e, "hint", ""):
            print(f"  {e.hint}", file=sys.stderr)
        if _is_record_error(e):  # a request the record refuses (unknown id, signed session): bad input
            return EXIT_USAGE
        return getattr(e, "code", EXIT_VAULT)
    except BrokenPipeError:
        # the reader went away (e.g. `sessionnotes flags --json | head`): stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("\nCancelled; nothing was changed by the unfinished command.", file=sys.stderr)
        return 130
    except MemoryError:
        print("sessionnotes: this computer ran out of memory; nothing further was written.", file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as e:  # never a traceback in front of a therapist
        if os.environ.get("SESSIONNOTES_DEBUG"):
            raise
        print(
            f"sessionnotes: something unexpected went wrong ({type(e).__name__}: {e}). "
            "Nothing further was written.\n  Please report this; set SESSIONNOTES_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
