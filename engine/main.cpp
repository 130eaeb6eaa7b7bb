#include <cstdio>

#include "version.h"

int main() {
  std::printf("sluice %s\n", sluice::kVersion);
  return 0;
}
