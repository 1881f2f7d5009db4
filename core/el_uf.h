/* el_uf: union-find over 0..n-1 in a caller's int array (parent[i] = i to start), with path
 * halving; the smaller index is always the root, so the result never depends on the order of
 * the unions. Used for connected parts of a design (model/build.c) and of a problem
 * (solver/qp.c). */
#ifndef EL_UF_H
#define EL_UF_H

static inline int el_uf_find(int *parent, int i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static inline void el_uf_union(int *parent, int a, int b)
{
    a = el_uf_find(parent, a);
    b = el_uf_find(parent, b);
    if (a != b)
        parent[a < b ? b : a] = a < b ? a : b;
}

#endif
