#include "engine/filters/cache/cacheable_status.h"

namespace sluice::filters::cache {

bool isHeuristicallyCacheable(int status) {
  switch (status) {
    case 200:
    case 203:
    case 204:
    case 300:
    case 301:
    case 308:
    case 404:
    case 405:
    case 410:
    case 414:
    case 501:
      return true;
    default:
      return false;
  }
}

bool isUnderstoodStatus(int status) {
  switch (status) {
    case 302:
    case 303:
    case 307:
    case 400:
    case 403:
    case 451:
      return true;
    default:
      return isHeuristicallyCacheable(status);
  }
}

}  // namespace sluice::filters::cache
