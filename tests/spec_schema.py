"""The spec's Prisma schema, read into plain data, so tests can hold the tables to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SPEC = Path(__file__).parent / "fixtures" / "data-models.prisma"
SHARED_SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "data-models.md"

SCALARS = {"String", "Int", "Float", "Boolean", "DateTime", "Json"}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass
class SpecField:
    name: str
    type: str
    optional: bool
    is_list: bool
    attrs: str

    @property
    def column(self) -> str:
        return snake(self.name)

    @property
    def default(self) -> str | None:
        m = re.search(r"@default\(([^)]*\)?)\)", self.attrs)
        return m.group(1) if m else None

    @property
    def unique(self) -> bool:
        return "@unique" in self.attrs


@dataclass
class SpecModel:
    name: str
    fields: list[SpecField] = field(default_factory=list)
    indexes: list[list[str]] = field(default_factory=list)
    uniques: list[list[str]] = field(default_factory=list)
    relations: list[tuple[list[str], str, str | None]] = field(default_factory=list)

    @property
    def table(self) -> str:
        return snake(self.name)


def _columns(raw: str) -> list[str]:
    return [snake(c.strip()) for c in raw.split(",") if c.strip()]


def parse(text: str | None = None) -> tuple[dict[str, SpecModel], dict[str, list[str]]]:
    """Models and enums of the spec."""
    text = text if text is not None else SPEC.read_text()
    models: dict[str, SpecModel] = {}
    enums: dict[str, list[str]] = {}
    for kind, name, body in re.findall(r"^(model|enum)\s+(\w+)\s*\{(.*?)^\}", text, re.S | re.M):
        lines = [re.sub(r"//.*", "", line).strip() for line in body.splitlines()]
        lines = [line for line in lines if line]
        if kind == "enum":
            enums[name] = [line.split()[0] for line in lines]
            continue
        model = SpecModel(name)
        for line in lines:
            if line.startswith("@@index"):
                model.indexes.append(_columns(re.search(r"\[(.*?)\]", line).group(1)))
            elif line.startswith("@@unique"):
                model.uniques.append(_columns(re.search(r"\[(.*?)\]", line).group(1)))
            else:
                fname, ftype, *rest = line.split(None, 2)
                attrs = rest[0] if rest else ""
                spec_field = SpecField(
                    fname, ftype.rstrip("?[]"), ftype.endswith("?"), ftype.endswith("[]"), attrs
                )
                rel = re.search(r"@relation\(fields: \[(.*?)\].*?(?:onDelete: (\w+))?\)", attrs)
                if rel:
                    model.relations.append((_columns(rel.group(1)), spec_field.type, rel.group(2)))
                model.fields.append(spec_field)
        models[name] = model
    # A field is a column when its type is a scalar or an enum.
    for model in models.values():
        model.fields = [
            f for f in model.fields if (f.type in SCALARS or f.type in enums) and not f.is_list
        ]
    return models, enums
