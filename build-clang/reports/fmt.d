build-clang/reports/fmt.o: reports/fmt.c reports/fmt.h

reports/fmt.h:
