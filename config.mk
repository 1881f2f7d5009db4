# Overridable build knobs (make CC=clang, make BUILD=build-asan SAN=1, ...).
CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
OPT     ?= -O2
SAN     ?=
WARN    = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wwrite-strings -Wcast-qual -Wformat=2 -Wundef -Wdouble-promotion -Wswitch-enum \
          -Wno-switch-enum -Werror
PKGS    = libxml-2.0 cunit
