#!/bin/sh
# Writes a scenario of J jurisdictions and D designs to stdout, to time loading and validation:
#   sh tests/bench/many-designs.sh [D] [J] > big.xml && time build/etslink validate big.xml
# Each design has a group of three, a link with an exchange rate, a design-level ceiling and a
# joint project, so every reference and uniqueness check of the loader is exercised.
D=${1:-10000}
J=${2:-200}
awk -v D="$D" -v J="$J" 'BEGIN {
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    print "<scenario name=\"many designs\" currency=\"USD\" unit=\"Mt\">"
    for (j = 0; j < J; j++)
        printf "  <jurisdiction id=\"J%d\"><bau>%d</bau><cap>%d</cap><mac><linear slope=\"%g\"/></mac></jurisdiction>\n", j, 100 + j, 90 + j, 1 + j % 7
    print "  <offset-pool id=\"P\" host=\"ROW\"><supply><linear slope=\"1\" max=\"50\"/></supply></offset-pool>"
    for (d = 0; d < D; d++) {
        a = d % J; b = (d * 7 + 1) % J; c = (d * 13 + 2) % J
        if (b == a) b = (b + 1) % J
        while (c == a || c == b) c = (c + 1) % J
        printf "  <design id=\"d%d\"><group members=\"J%d J%d\"/><link from=\"J%d\" to=\"J%d\" rate=\"0.9\"/>", d, a, b, c, a
        printf "<ceiling jurisdiction=\"J%d\" price=\"50\" volume=\"10\"/><accept pool=\"P\" jurisdiction=\"J%d\"/>", c, b
        printf "<project id=\"p\" capacity=\"5\" fixed-cost=\"10\" shares=\"J%d:0.5 J%d:0.5\"/></design>\n", a, c
    }
    print "</scenario>"
}'
