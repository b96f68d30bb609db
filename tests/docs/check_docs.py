#!/usr/bin/python3
"""Every command output quoted in docs/ is the program's: runs each quoted
command and compares what it prints with the lines the doc shows.

In a fenced block, a line `$ chitieu ...` (continued by a trailing `\\`) is a
command, run from the repository root with `chitieu` meaning the built
program; the lines after it, up to the next `$ ` line or the end of the
block, are what it prints (stdout, then stderr). A line `…` stands for any
number of lines. Commands may pipe into standard tools (`| head -3`).
A block whose first line is `$ ` but whose command is not chitieu's is
run the same way. Blocks without a `$ ` line are not checked.

usage: check_docs.py [--update] CHITIEU_BINARY REPO_ROOT [DOC.md ...]
exit 0 when every quoted output matches, 1 otherwise (differences printed).
With --update, a quote without `…` that differs is replaced by what the
program prints (to be read over before it is committed: the prose around a
quote may need the same change); a quote with `…` is only reported.
"""
import os
import re
import subprocess
import sys
import tempfile

argv = sys.argv[1:]
update = argv[:1] == ['--update']
if update:
    argv = argv[1:]
binary, root = os.path.abspath(argv[0]), os.path.abspath(argv[1])
docs = argv[2:] or sorted(os.path.join(root, 'docs', f) for f in os.listdir(os.path.join(root, 'docs'))
                              if f.endswith('.md'))
ELLIPSIS = '…'


def blocks(path):
    """(line number, [lines]) of each fenced block."""
    out, cur, start = [], None, 0
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if line.startswith('```'):
            if cur is None:
                cur, start = [], n + 1
            else:
                out.append((start, cur))
                cur = None
        elif cur is not None:
            cur.append(line)
    return out


def commands(start, lines):
    """(line number, command, expected lines) of each `$ ` command in a block."""
    res, i = [], 0
    while i < len(lines):
        if not lines[i].startswith('$ '):
            i += 1
            continue
        at = start + i
        cmd = lines[i][2:]
        while cmd.endswith('\\') and i + 1 < len(lines):
            i += 1
            cmd = cmd[:-1] + ' ' + lines[i].strip()
        i += 1
        exp = []
        while i < len(lines) and not lines[i].startswith('$ '):
            exp.append(lines[i])
            i += 1
        while exp and exp[-1] == '':
            exp.pop()
        res.append((at, cmd, exp))
    return res


def matches(expected, got):
    """Whether got fits expected, where `…` matches any run of lines."""
    pattern = ''.join('(?:.*\n)*?' if e == ELLIPSIS else re.escape(e) + '\n' for e in expected)
    return re.fullmatch(pattern, ''.join(g + '\n' for g in got)) is not None


def run(cmd, workdir):
    env = dict(os.environ, LC_ALL='C.UTF-8')
    env['PATH'] = workdir + os.pathsep + env['PATH']
    p = subprocess.run(['sh', '-c', cmd], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    got = (p.stdout + p.stderr).split('\n')
    while got and got[-1] == '':
        got.pop()
    return got


fail = checked = 0
with tempfile.TemporaryDirectory() as tmp:
    os.symlink(binary, os.path.join(tmp, 'chitieu'))
    for doc in docs:
        edits = []
        for start, lines in blocks(doc):
            for at, cmd, exp in commands(start, lines):
                if not exp:
                    continue
                checked += 1
                got = run(cmd, tmp)
                if not matches(exp, got):
                    if update and ELLIPSIS not in exp:
                        edits.append((at, len(exp), got))
                        continue
                    fail += 1
                    rel = os.path.relpath(doc, root)
                    print(f'{rel}:{at}: the output of `{cmd}` differs from the doc; the program printed:')
                    for g in got[:60]:
                        print('    ' + g)
                    if len(got) > 60:
                        print(f'    ({len(got) - 60} more lines)')
        if edits:
            text = open(doc, encoding='utf-8').read().split('\n')
            for at, n, got in sorted(edits, reverse=True):
                first = at  # the line after the command (1-based `at` is the command's line)
                while text[first - 1].endswith('\\'):
                    first += 1
                text[first:first + n] = got
            open(doc, 'w', encoding='utf-8').write('\n'.join(text))
            print(f'{os.path.relpath(doc, root)}: {len(edits)} quotes updated')
print(f'{checked} quoted commands checked, {fail} differ')
sys.exit(1 if fail else 0)
