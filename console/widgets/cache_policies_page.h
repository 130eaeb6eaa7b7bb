#pragma once
// The Cache policies page: the `cache_policies:` entries and the routes caching with them (a
// PolicyPage), plus the Purge… button that opens the PurgeDialog.

#include "console/widgets/policy_page.h"

namespace sluice::console {

class CachePoliciesPage : public PolicyPage {
  Q_OBJECT

 public:
  explicit CachePoliciesPage(ControlConnection* connection, QWidget* parent = nullptr);
  QPushButton* purgeButton() const { return purge_; }

 signals:
  void purgeRequested();

 private:
  QPushButton* purge_;
};

}  // namespace sluice::console
