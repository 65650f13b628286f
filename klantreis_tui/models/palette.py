"""The colours of the heartbeat: one palette for every output (the poster, the HTML heartbeat, the Word picture, the
app's journey panel), so that a score and the desired journey look the same wherever they are shown."""

from __future__ import annotations

import math

#: a score's colour, -2 .. +2, by its nearest whole score (``level``): the faces and step cards of the poster and
#: the points of the HTML and Word heartbeat; muted, so that it prints in grey as well as in colour
EMOTION = {-2: "#c4553f", -1: "#e59a78", 0: "#cfc8b8", 1: "#8fc39b", 2: "#3f9163"}
#: the current journey's curve; also the outline of a point on white paper (a light score stays visible)
CURRENT = "#1f2a37"
#: the desired journey (a persona's gewenste hartslag): a dashed line with open diamonds or circles, in every
#: output; 6.4:1 against white and 5.7:1 against the poster's tinted halves, so it reads in print too
DESIRED = "#1f5fa8"
#: the neutral line (0) and the lines at the other scores
NEUTRAL = "#8c96a1"
GRID = "#d3d9df"
#: a persona phase's spread, from its lowest to its highest score
SPREAD = "#56616e"
#: the moments of truth: ring and star
MOMENT = "#d4961c"


def level(score: float) -> int:
    """The whole score nearest to ``score`` (a half rounds away from neutral), within -2..+2: its colour's key."""
    whole = math.copysign(math.floor(abs(score) + 0.5), score)
    return int(max(-2, min(2, whole)))


def score_colour(score: float) -> str:
    """The colour of a score (a step's or a median)."""
    return EMOTION[level(score)]


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as red, green and blue (0..255), for pictures drawn pixel by pixel."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
