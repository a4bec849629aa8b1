"""``docflow doctor``: what the machine has and lacks for rendering, diagrams and the store.

Each detail and fix is written in Chinese and English (``locale``); what a library or the
store reports (an exception's message) is passed on as it comes.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docflow.errors import DocflowError
from docflow.runtime.lang import say
from docflow.runtime.result import Result

__all__ = ["Check", "DoctorReport", "diagnose"]


@dataclass(frozen=True)
class Check(Result):
    """One thing the machine has or lacks, and how to fix it."""

    check: str
    ok: bool
    required: bool
    detail: str
    fix: str


@dataclass(frozen=True)
class DoctorReport(Result):
    """Every check; ``ok`` is false when a required one fails."""

    ok: bool
    checks: tuple[Check, ...]


def _check(name: str, ok: bool, detail: str, fix: str = "", required: bool = True) -> Check:
    return Check(name, ok, required, detail, "" if ok else fix)


# English text: the metrics of Times New Roman and Arial, which the DOCX names (style.css).
LATIN_FONTS = ("Liberation Serif", "Liberation Sans", "Liberation Mono")


def _missing_latin_fonts() -> list[str]:
    """The fonts of LATIN_FONTS that fontconfig does not list (all of them without fc-list)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return list(LATIN_FONTS)
    try:
        listed = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return list(LATIN_FONTS)
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [font for font in LATIN_FONTS if font not in families]


def _weasyprint(locale: str) -> tuple[Check, Check]:
    from docflow.render.libs import import_weasyprint

    try:
        weasyprint = import_weasyprint()
        from weasyprint.text import ffi
    except (ImportError, OSError) as exc:
        pango = _check(
            "pango",
            False,
            say(locale, f"WeasyPrint 无法加载：{exc}", f"WeasyPrint cannot load: {exc}"),
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0",
        )
        hb = _check(
            "harfbuzz-subset",
            False,
            say(locale, "未知（WeasyPrint 未能加载）", "unknown (WeasyPrint did not load)"),
            "apt-get install libharfbuzz-subset0",
        )
        return pango, hb
    version = weasyprint.__version__
    pango = _check(
        "pango",
        True,
        say(locale, f"WeasyPrint {version} 已加载 Pango", f"WeasyPrint {version} loads Pango"),
    )
    subset = getattr(ffi, "harfbuzz_subset", None) is not None
    hb = _check(
        "harfbuzz-subset",
        subset,
        say(locale, "WeasyPrint 用 HarfBuzz 对字体取子集", "WeasyPrint subsets fonts with HarfBuzz")
        if subset
        else say(
            locale,
            "WeasyPrint 改用 fontTools 取子集：中文 PDF 的生成时间约为 20 倍",
            "WeasyPrint falls back to fontTools: Chinese PDFs take ~20x longer",
        ),
        "apt-get install libharfbuzz-subset0",
    )
    return pango, hb


def diagnose(
    store_url: str | None, workspace_root: Path | None, locale: str = "en"
) -> DoctorReport:
    """Run every check; ``ok`` is false when a required one fails. Details and fixes are
    in ``locale`` (zh-CN or en)."""
    from docflow.render.fonts import has_chinese_font

    checks = []
    cjk = has_chinese_font()
    checks.append(
        _check(
            "cjk-font",
            cjk,
            say(locale, "已安装中文字体", "a Chinese font is installed")
            if cjk
            else say(
                locale,
                "未安装中文字体：无法生成 zh-CN 文件",
                "no Chinese font: zh-CN documents cannot be rendered",
            ),
            "apt-get install fonts-noto-cjk",
        )
    )
    missing = _missing_latin_fonts()
    checks.append(
        _check(
            "latin-font",
            not missing,
            say(
                locale,
                "已安装 Liberation Serif、Sans 和 Mono（英文字形与 Word 中一致）",
                "Liberation Serif, Sans and Mono are installed (English text as in Word)",
            )
            if not missing
            else say(
                locale,
                f"缺少 {'、'.join(missing)}：英文 PDF 将改用其他字体",
                f"missing {', '.join(missing)}: English PDFs fall back to other fonts",
            ),
            "apt-get install fonts-liberation2",
        )
    )
    checks.extend(_weasyprint(locale))
    try:
        from docflow.runtime.session import load_spec
        from docflow.runtime.workspace import template_dirs
        from docflow.spec.loader import list_workflows

        dirs = template_dirs(workspace_root or Path.cwd())
        names = list_workflows()
        for name in names:
            load_spec(name, dirs)
        checks.append(
            _check(
                "templates",
                True,
                say(
                    locale,
                    f"工作流 {'、'.join(names)}：各文件模板齐全",
                    f"workflows {', '.join(names)}: every document template present",
                ),
            )
        )
    except DocflowError as exc:
        checks.append(
            _check(
                "templates",
                False,
                exc.message,
                say(locale, "补回缺失的模板文件", "restore the missing template"),
            )
        )
    if store_url or workspace_root:
        try:
            from docflow.store import open_store
            from docflow.store.urls import display_url

            store = open_store(store_url, workspace_root)
            store.ensure_schema()
            shown = display_url(store.url)
            checks.append(
                _check(
                    "store",
                    True,
                    say(
                        locale,
                        f"{shown}：数据库结构为最新，共 {store.count_projects()} 个项目",
                        f"{shown}: schema current, {store.count_projects()} project(s)",
                    ),
                )
            )
        except DocflowError as exc:
            checks.append(
                _check("store", False, exc.message, say(locale, "见上面的说明", "see the message"))
            )
    dot = shutil.which("dot")
    checks.append(
        _check(
            "graphviz",
            dot is not None,
            dot
            or say(
                locale,
                "未找到（生成 SVG 工作流图时需要）",
                "not found (SVG workflow diagrams need it)",
            ),
            "apt-get install graphviz",
            required=False,
        )
    )
    soffice = shutil.which("soffice")
    checks.append(
        _check(
            "libreoffice",
            soffice is not None,
            soffice or say(locale, "未找到（仅测试使用）", "not found (only tests use it)"),
            "apt-get install libreoffice-writer-nogui",
            required=False,
        )
    )
    from docflow.render.pdfa import conformance_check

    pdfa_ok, pdfa_how = conformance_check(locale)
    checks.append(
        _check("pdf-a", pdfa_ok, pdfa_how, "pip install 'docflow[test]' (pikepdf)", required=False)
    )
    return DoctorReport(all(c.ok for c in checks if c.required), tuple(checks))
