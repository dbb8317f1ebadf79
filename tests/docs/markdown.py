"""Reading Markdown the way GitHub renders it: code blocks, inline code, links, heading anchors
and tables. Shared by the tests that hold the README and the guides to the project."""

import re
from collections import Counter

FENCED_BLOCK = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`]+)`")
# [text](target), the text possibly holding one level of brackets; images too.
LINK = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def without_fenced_blocks(markdown: str) -> str:
    return FENCED_BLOCK.sub("", markdown)


def code(markdown: str) -> list[str]:
    """The text of every fenced block and every inline code span."""
    blocks = FENCED_BLOCK.findall(markdown)
    spans = INLINE_CODE.findall(without_fenced_blocks(markdown))
    return blocks + spans


def inline_code(markdown: str) -> list[str]:
    return INLINE_CODE.findall(without_fenced_blocks(markdown))


def links(markdown: str) -> list[str]:
    """Every link target outside code, as written."""
    return LINK.findall(INLINE_CODE.sub("", without_fenced_blocks(markdown)))


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """The anchors of every heading; a repeated one gets -1, -2, ... as GitHub numbers them."""
    seen: Counter[str] = Counter()
    found = set()
    for heading in HEADING.findall(without_fenced_blocks(markdown)):
        name = anchor(heading)
        found.add(f"{name}-{seen[name]}" if seen[name] else name)
        seen[name] += 1
    return found


def table(markdown: str, first_header: str) -> list[dict[str, str]]:
    """The rows of the first table whose header begins with first_header, as header -> cell.

    Cells keep their Markdown (an escaped pipe stays `\\|`)."""
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"| {first_header} |"):
            header = cells(line)
            rows = []
            for row in lines[index + 2 :]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(header, cells(row), strict=True)))
            return rows
    raise AssertionError(f"no table whose header begins with {first_header!r}")


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
