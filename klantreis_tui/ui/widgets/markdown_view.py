"""A read-only Markdown view that draws only the rows on screen, for write-ups of any length."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from klantreis_tui.ui.markdown_lines import Document
from klantreis_tui.ui.markdown_reader import parse

TAGS = ("h1", "h2", "h3", "bold", "italic", "code", "link", "quote", "quote-bar", "bullet", "rule", "th")


class MarkdownView(ScrollView, can_focus=True):
    """Shows a ``Document`` (see ``ui.markdown_lines``): laid out to the width in one cheap pass, each row
    built when it is drawn. Scrolls with the arrows, PageUp/PageDown, Home/End and the mouse; sideways (left
    and right) only where a block of code is wider than the view."""

    COMPONENT_CLASSES = {f"markdown-view--{tag}" for tag in TAGS}

    DEFAULT_CSS = """
    MarkdownView {
        overflow-y: scroll;
        overflow-x: auto;
        padding: 0 1;
        background: $surface;
        & > .markdown-view--h1 { color: $text-accent; text-style: bold reverse; }
        & > .markdown-view--h2 { color: $text-accent; text-style: bold underline; }
        & > .markdown-view--h3 { color: $text-primary; text-style: bold; }
        & > .markdown-view--bold { text-style: bold; }
        & > .markdown-view--italic { text-style: italic; }
        & > .markdown-view--code { color: $text-warning; }
        & > .markdown-view--link { color: $text-primary; text-style: underline; }
        & > .markdown-view--quote { color: $text-muted; }
        & > .markdown-view--quote-bar { color: $primary; }
        & > .markdown-view--bullet { color: $text-accent; }
        & > .markdown-view--rule { color: $foreground-darken-3; }
        & > .markdown-view--th { text-style: bold; }
    }
    """

    def __init__(self, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document = Document("", [])
        self._styles: dict[str, Style] = {}
        self._strips: LRUCache[int, Strip] = LRUCache(512)

    @property
    def source(self) -> str:
        """The Markdown shown."""
        return self.document.source

    @property
    def text_width(self) -> int:
        """The cells a row of text has (the width the document is laid out to)."""
        return max(8, self.scrollable_content_region.width)

    def update(self, markdown: str) -> None:
        """Show ``markdown`` (read and laid out here: for long texts build the document on a thread and
        call ``show``)."""
        self.show(parse(markdown))

    def show(self, document: Document, keep_place: bool = False) -> None:
        """Show a document read elsewhere (a worker may lay it out to ``text_width`` already). ``keep_place``:
        the document continues the one shown (its beginning, shown first), the reader stays where they are."""
        self.document = document
        self._relayout(keep_place=keep_place)
        if not keep_place:
            self.scroll_to(0, 0, animate=False, immediate=True)

    def _relayout(self, keep_place: bool = True) -> None:
        width = self.text_width
        if keep_place and self.document.width > 0:
            block, within = self.document.block_at(round(self.scroll_y))
            self.document.layout(width)
            y = self.document.starts[block] + min(within, self.document.blocks[block].height(width) - 1) \
                if self.document.blocks else 0
        else:
            self.document.layout(width)
            y = None
        self._strips.clear()
        self.virtual_size = Size(self.document.wide, self.document.height)
        if y is not None:
            self.scroll_to(None, y, animate=False, immediate=True)
        self.refresh()

    def on_resize(self) -> None:
        if self.document.width != self.text_width:
            self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}
        self._strips.clear()

    def _style(self, tags: str) -> Style:
        style = self._styles.get(tags)
        if style is None:
            style = self.rich_style
            for tag in tags.split():
                style += self.get_component_rich_style(f"markdown-view--{tag}", partial=True)
            self._styles[tags] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y
        strip = self._strips.get(row)
        if strip is None:
            runs = self.document.row(row)
            base = self.rich_style
            strip = Strip([Segment(text, self._style(tags) if tags else base) for text, tags in runs if text])
            self._strips[row] = strip
        left = round(self.scroll_x)
        return strip.crop_extend(left, left + width, self.rich_style)
