#include "console/widgets/cache_policies_page.h"

#include <QHBoxLayout>
#include <QPushButton>

namespace sluice::console {

CachePoliciesPage::CachePoliciesPage(ControlConnection* connection, QWidget* parent)
    : PolicyPage(PolicySchema::cachePolicies(), connection, parent) {
  purge_ = new QPushButton(tr("&Purge…"), toolbarRow());
  purge_->setToolTip(tr("Remove cached responses by URL, prefix, tag, or all (Ctrl+Shift+P)"));
  auto* row = static_cast<QHBoxLayout*>(toolbarRow()->layout());
  row->insertWidget(3, purge_);
  connect(purge_, &QPushButton::clicked, this, &CachePoliciesPage::purgeRequested);
}

}  // namespace sluice::console
