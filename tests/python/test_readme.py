"""The README's lines of Python run and print the report `supportsim run` prints."""

import contextlib
import io
import re

from conftest import SOURCE_DIR, cli


def test_the_readme_s_python_prints_the_sla_table():
    readme = (SOURCE_DIR / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 1
    code = blocks[0]
    assert len(code.strip().splitlines()) == 3
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue() == cli("run", "--replications", 10, "--seed", 1).stdout + "\n"
    assert "SLA attained" in printed.getvalue()
