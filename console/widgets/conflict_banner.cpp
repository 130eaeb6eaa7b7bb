#include "console/widgets/conflict_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace sluice::console {

ConflictBanner::ConflictBanner(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("ConflictBanner"));
  setStyleSheet(
      QStringLiteral("#ConflictBanner { background: #fff4c2; border: 1px solid #e0b000; border-radius: 3px; }"
                     "#ConflictBanner QLabel { color: #5a4400; }"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(10, 4, 6, 4);
  label_ = new QLabel(this);
  label_->setWordWrap(true);
  reload_ = new QPushButton(tr("Re&load"), this);
  reload_->setToolTip(tr("Fetch the node's current policies; your edits stay in the form"));
  layout->addWidget(label_, 1);
  layout->addWidget(reload_);
  connect(reload_, &QPushButton::clicked, this, &ConflictBanner::reloadRequested);
  hide();
}

void ConflictBanner::showConflict(qint64 version) {
  const QString which = version >= 0 ? tr("version %1").arg(version) : tr("a newer version");
  label_->setText(
      tr("The config changed on the node (%1). Reload to see the current policies; your edits stay "
         "in the form and apply on top of them.")
          .arg(which));
  show();
}

QString ConflictBanner::text() const {
  return label_->text();
}

}  // namespace sluice::console
