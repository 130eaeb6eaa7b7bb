#pragma once
// The Rate limits page: the `rate_limits:` policies and the routes using them (a PolicyPage).

#include "console/widgets/policy_page.h"

namespace sluice::console {

class RateLimitsPage : public PolicyPage {
  Q_OBJECT

 public:
  explicit RateLimitsPage(ControlConnection* connection, QWidget* parent = nullptr)
      : PolicyPage(PolicySchema::rateLimits(), connection, parent) {}
};

}  // namespace sluice::console
