#include <stdio.h>
int main(void) { puts("upwiz"); return 0; }
