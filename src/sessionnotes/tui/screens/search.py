"""Search everything in the vault: `/` from anywhere. Enter opens the match in its session.

The query syntax is the one the caseload filter uses (see the help screen): words as prefixes,
"quoted phrases", and filters such as stage:meeting attendance:dna since:2026-03-01.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...analysis.search import Hit, QueryError, parse_query
from ..messages import OpenSearchHit
from ..widgets.key_footer import KeyFooter
from .base import VaultScreen

SYNTAX_HELP = (
    'Words match the start of words (mum finds mums). "Quoted phrases" match exactly. '
    "Filters: stage:meeting  attendance:dna  flag:repetitive-body-talk  status:discharged  "
    "since:2026-03-01  until:2026-03-31  field:note  -field:private"
)


def highlighted(snippet: str) -> Text:
    """Turn the index's [[match]] markers into highlighted text (everything else escaped)."""
    out = Text()
    for i, part in enumerate(snippet.split("[[")):
        if i == 0:
            out.append(part)
            continue
        match, _, rest = part.partition("]]")
        out.append(match, style="bold reverse")
        out.append(rest)
    return out


class SearchScreen(VaultScreen):
    CSS = """
    SearchScreen #search-box { margin: 1 1 0 1; }
    SearchScreen #search-help { color: $text-muted; margin: 0 2; height: auto; }
    SearchScreen #search-status { margin: 0 2; height: 1; color: $text-muted; }
    SearchScreen #results { height: 1fr; margin: 0 1; }
    """
    AUTO_FOCUS = "#search-box"
    BINDINGS = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("down", "to_results", "Results", show=False, id="search.down"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_banner()
        with Vertical():
            yield Input(value=self.initial, placeholder="Search notes, addenda, formulation, letters...", id="search-box")
            yield Static(SYNTAX_HELP, id="search-help")
            yield Static("", id="search-status")
            yield OptionList(id="results")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "Search"
        self.sub_title = "everything in the vault"
        self.run_search()

    @on(Input.Changed, "#search-box")
    def _changed(self) -> None:
        self.run_search()

    @on(Input.Submitted, "#search-box")
    def _submitted(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = 0

    def index_ready(self) -> None:
        """Called by the app when the index finished building."""
        if self.is_mounted:
            self.run_search()

    def run_search(self) -> None:
        status = self.query_one("#search-status", Static)
        results = self.query_one("#results", OptionList)
        text = self.query_one("#search-box", Input).value.strip()
        results.clear_options()
        self.hits = []
        if not text:
            status.update("Type to search. Enter goes to the results; Enter on a result opens it.")
            return
        index = self.ctx.search_index
        if index is None:
            status.update("Preparing the search index (this happens once after unlocking)...")
            return
        try:
            query = parse_query(text)
        except QueryError as e:
            status.update(escape(str(e)))
            return
        self.hits = index.search(query, limit=100)
        status.update(
            f"{len(self.hits)} match{'es' if len(self.hits) != 1 else ''}" + (" (first 100)" if len(self.hits) == 100 else "")
        )
        for n, hit in enumerate(self.hits):
            d = hit.doc
            head = Text(f"{d.date.isoformat() if d.date else '':<10}  {d.client_name}  ", style="bold")
            head.append(f"{d.field}" + (f" · {d.stage}" if d.stage else ""), style="italic")
            line = Text("\n  ").join([head, highlighted(hit.snippet)])
            results.add_option(Option(line, id=str(n)))

    def action_to_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        self.post_message(OpenSearchHit(hit))
