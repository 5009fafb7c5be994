#!/usr/bin/python3
"""The README's screenshots, from a real run: tasktui (release build) on a demo database in a
tmux window, the screen captured with its colours (`tmux capture-pane -e`) and drawn into PNG
files cell by cell with DejaVu Sans Mono.

    bash assets/screenshots.sh          # installs what it needs, builds, writes assets/*.png

Needs Debian's python3-pil and fonts-dejavu-core, and tmux (the wrapper installs them).
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata

from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "tasktui")
FONTS = "/usr/share/fonts/truetype/dejavu/"
COLS, ROWS = 120, 34
SIZE = 15

# The terminal: a dark background and xterm's 16 colours.
BACKGROUND = (24, 24, 27)
FOREGROUND = (212, 212, 216)
PALETTE = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]


def colour_256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    grey = 8 + (n - 232) * 10
    return (grey, grey, grey)


class Pen:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = False
        self.dim = False
        self.reverse = False
        self.underline = False

    def apply(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = PALETTE[c - 30]
            elif 90 <= c <= 97:
                self.fg = PALETTE[c - 90 + 8]
            elif 40 <= c <= 47:
                self.bg = PALETTE[c - 40]
            elif 100 <= c <= 107:
                self.bg = PALETTE[c - 100 + 8]
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour = colour_256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour = tuple(codes[i + 2:i + 5])
                    i += 4
                else:
                    colour = None
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def colours(self):
        fg = self.fg or FOREGROUND
        bg = self.bg or BACKGROUND
        if self.dim:
            fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
        if self.reverse:
            fg, bg = bg, fg
        return fg, bg


def cells(ansi):
    """The captured screen as rows of (character, fg, bg, bold, underline)."""
    pen = Pen()
    rows = []
    for line in ansi.split("\n")[:ROWS]:
        row = []
        for part in re.split(r"(\x1b\[[0-9;]*m)", line):
            if part.startswith("\x1b["):
                pen.apply(part[2:-1])
                continue
            for ch in part:
                fg, bg = pen.colours()
                row.append((ch, fg, bg, pen.bold, pen.underline))
                if unicodedata.east_asian_width(ch) in ("W", "F"):
                    row.append(("", fg, bg, pen.bold, pen.underline))
        rows.append(row)
    return rows


def render(ansi, path):
    regular = ImageFont.truetype(FONTS + "DejaVuSansMono.ttf", SIZE)
    bold = ImageFont.truetype(FONTS + "DejaVuSansMono-Bold.ttf", SIZE)
    width = round(regular.getlength("M"))
    height = SIZE + 4
    pad = 12
    image = Image.new("RGB", (COLS * width + 2 * pad, ROWS * height + 2 * pad), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(cells(ansi)):
        for x, (ch, fg, bg, is_bold, underline) in enumerate(row[:COLS]):
            left, top = pad + x * width, pad + y * height
            if bg != BACKGROUND:
                draw.rectangle([left, top, left + width - 1, top + height - 1], fill=bg)
            if ch.strip():
                draw.text((left, top + 1), ch, font=bold if is_bold else regular, fill=fg)
            if underline:
                draw.line([left, top + height - 2, left + width - 1, top + height - 2], fill=fg)
    image.save(path)
    print(f"wrote {os.path.relpath(path, ROOT)}")


def tmux(*args):
    return subprocess.run(["tmux", "-L", "tasktui-shots", *args], check=True,
                          capture_output=True, text=True).stdout


def capture(name):
    time.sleep(0.8)
    render(tmux("capture-pane", "-p", "-e", "-t", "shots"), os.path.join(ROOT, "assets", name))


def keys(*keys):
    for key in keys:
        tmux("send-keys", "-t", "shots", key)
        time.sleep(0.15)


def main():
    global COLS, ROWS
    with tempfile.TemporaryDirectory() as work:
        db = os.path.join(work, "team.db")
        subprocess.run([BIN, "demo", "--db", db, "--tasks", "400", "--users", "9", "--seed", "3"],
                       check=True, capture_output=True)
        env = (f"env TASKTUI_CONFIG=/dev/null TASKTUI_USER=alice XDG_STATE_HOME={work} "
               f"TERM=xterm-256color")
        tmux("kill-server") if subprocess.run(["tmux", "-L", "tasktui-shots", "has-session"],
                                              capture_output=True).returncode == 0 else None
        tmux("new-session", "-d", "-s", "shots", "-x", str(COLS), "-y", str(ROWS),
             f"{env} {BIN} --db {db}")
        try:
            time.sleep(1.0)
            keys("j", "j", "j", "v", "j", "v", "j")
            capture("screenshot.png")
            keys("?")
            capture("screenshot-help.png")
            keys("q", "a")
            for ch in "Ship the release notes":
                tmux("send-keys", "-t", "shots", "-l", ch)
            keys("Tab", "Tab", "Tab", "Right", "Right", "Tab")
            tmux("send-keys", "-t", "shots", "-l", "fri")
            keys("Tab")
            tmux("send-keys", "-t", "shots", "-l", "bo")
            capture("screenshot-form.png")
            keys("Escape", "Escape", "q")
        finally:
            subprocess.run(["tmux", "-L", "tasktui-shots", "kill-server"], capture_output=True)
        # The terminal most people have: 80×24.
        COLS, ROWS = 80, 24
        tmux("new-session", "-d", "-s", "shots", "-x", str(COLS), "-y", str(ROWS),
             f"{env} {BIN} --db {db}")
        try:
            time.sleep(1.0)
            keys("j", "j")
            capture("screenshot-80x24.png")
        finally:
            subprocess.run(["tmux", "-L", "tasktui-shots", "kill-server"], capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
