"""The project's settings in `workplan.toml`: the person's default unit, and how documents look.

    # workplan.toml, in the project folder (or any folder above the one you work in)
    unit = "浙江省局"

so that 浙江省局 staff need not type `--by 浙江省局` on every command; `--by`, `--unit` and
`--lead` given on the command line always win.

An office puts its bulletin's masthead, issuing office, recipients and its fonts there too,
instead of changing code (every key optional; what is left out takes the default below, or is
derived from the plan):

    [bulletin]
    masthead = "长三角市场监管工作动态"
    office = "长三角市场监管联席会议办公室"
    lines_per_page = 28

    [bulletin.recipients]
    "报" = "长三角区域合作办公室"
    "送" = ["长三角生态绿色一体化发展示范区执委会"]
    "发" = "三省一市市场监管局"

    [fonts]
    title = ["方正小标宋简体", "华文中宋", "黑体", "SimHei"]
    body = ["仿宋_GB2312", "仿宋", "FangSong"]

For documents the file is looked for from the registry's project folder: the folder holding the
registry, or the one above it when the registry lies in a folder named `data`
(./data/items.yaml → ./workplan.toml).
"""

from __future__ import annotations

import os
from pathlib import Path

from workplan.core.labels import Message
from workplan.store.paths import Quoted, os_reason
from typing import Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

ENV_UNIT = "WORKPLAN_UNIT"
CONFIG_NAME = "workplan.toml"


class ConfigError(Exception):
    """The config file cannot be read; args[0], a Message, names it and says why."""

    def text(self, lang: str = "zh") -> str:
        from workplan.core.labels import shown

        return str(shown(self.args[0], lang))

    def __str__(self) -> str:
        return self.text()


def config_file(start: Path | None = None) -> Path | None:
    """The nearest workplan.toml in `start` (default: the current folder) or a folder above it."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def default_unit(start: Path | None = None) -> str | None:
    """$WORKPLAN_UNIT, else the config file's `unit`, else None."""
    if os.environ.get(ENV_UNIT, "").strip():
        return os.environ[ENV_UNIT].strip()
    path = config_file(start)
    if path is None:
        return None
    unit = read_toml(path).get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        raise ConfigError(Message("store.config_unit", path=path))
    return unit.strip() if unit else None


def read_toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else Message("store.config_not_toml", detail=Quoted(str(exc)))
        raise ConfigError(Message("store.cannot_read_path", path=path, reason=reason)) from None


# -- how documents look ----------------------------------------------------------------------------
# Font lists: the first installed face is used; the rest are the fallbacks, in order. The names are
# those Chinese offices' machines carry (Windows, WPS on UOS/Kylin), then the free Noto faces.
DEFAULT_FONTS = {
    "title": ["方正小标宋简体", "方正小标宋_GBK", "华文中宋", "黑体", "SimHei", "Noto Serif CJK SC"],
    "heading": ["黑体", "SimHei", "方正黑体_GBK", "Noto Sans CJK SC"],
    "subheading": ["楷体_GB2312", "楷体", "KaiTi", "方正楷体_GBK", "Noto Serif CJK SC"],
    "body": ["仿宋_GB2312", "仿宋", "FangSong", "方正仿宋_GBK", "Noto Serif CJK SC"],
    "table": ["宋体", "SimSun", "方正书宋_GBK", "Noto Serif CJK SC"],
    "table_heading": ["黑体", "SimHei", "方正黑体_GBK", "Noto Sans CJK SC"],
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


Names = Union[str, list[str]]


class Recipients(_Strict):
    report_to: Optional[Names] = Field(None, alias="报")
    copy_to: Optional[Names] = Field(None, alias="送")
    send_to: Optional[Names] = Field(None, alias="发")


class BulletinConfig(_Strict):
    masthead: str = "长三角市场监管工作动态"
    office: Optional[str] = None          # default: the plan's issuer + 办公室
    recipients: Recipients = Recipients()
    lines_per_page: int = Field(28, ge=15, le=40)  # GB/T 9704 公文 use 22; the bulletin is denser


class Fonts(_Strict):
    title: list[str] = DEFAULT_FONTS["title"]
    heading: list[str] = DEFAULT_FONTS["heading"]
    subheading: list[str] = DEFAULT_FONTS["subheading"]
    body: list[str] = DEFAULT_FONTS["body"]
    table: list[str] = DEFAULT_FONTS["table"]
    table_heading: list[str] = DEFAULT_FONTS["table_heading"]

    @field_validator("*", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, str) else value

    @field_validator("*")
    @classmethod
    def _not_empty(cls, value):
        if not value:
            raise ValueError("give at least one font name")
        return value


class ProjectConfig(_Strict):
    bulletin: BulletinConfig = BulletinConfig()
    fonts: Fonts = Fonts()
    path: Optional[Path] = Field(None, exclude=True)  # the file read, if any

    @classmethod
    def sections(cls) -> tuple[str, ...]:
        return ("bulletin", "fonts")  # other keys (unit …) are read elsewhere


def project_folder(registry: Path) -> Path:
    folder = Path(registry).resolve().parent
    return folder.parent if folder.name == "data" else folder


def load_config(registry: Path) -> ProjectConfig:
    """The documents' settings from the project's workplan.toml, or the defaults; ConfigError if unusable."""
    path = config_file(project_folder(registry))
    if path is None:
        return ProjectConfig()
    from pydantic import ValidationError

    data = read_toml(path)
    try:
        config = ProjectConfig.model_validate({k: v for k, v in data.items() if k in ProjectConfig.sections()})
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        from workplan.store.load import pydantic_words

        raise ConfigError(Message("store.config_field", path=path, key=key, detail=pydantic_words(error))) from None
    config.path = path
    return config


def names(value: Names | None, sep: str = "，") -> str:
    """Recipients as printed: a list joined with `sep` (the Chinese comma by default)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else sep.join(value)
