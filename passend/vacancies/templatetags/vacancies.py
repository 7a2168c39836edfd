"""`{{ vacancy.description|markdown }}`: a vacancy's Markdown as safe HTML.

CommonMark with raw HTML switched off: `<script>` and every other tag typed
in the text come out as text, and markdown-it refuses `javascript:`,
`vbscript:`, `file:` and most `data:` links. Links open as ordinary links
with `rel="nofollow noopener"`: an employer's text is not ours to vouch for.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _link_open(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    tokens[index].attrSet("rel", "nofollow noopener")
    return str(renderer.renderToken(tokens, index, options, env))


_MARKDOWN.add_render_rule("link_open", _link_open)


@register.filter(name="markdown")
def markdown(text: str | None) -> SafeString:
    """Markdown to HTML; safe because raw HTML is never passed through."""
    return mark_safe(_MARKDOWN.render(text or ""))


@register.filter(name="for_candidate")
def for_candidate(stage: str) -> str:
    """A stage as the candidate reads it ("invited for an interview")."""
    from passend.vacancies.models import STAGE_FOR_CANDIDATE, Stage

    return str(STAGE_FOR_CANDIDATE.get(Stage(stage), stage))
