#include "console/widgets/headline_tile.h"

#include <QLabel>
#include <QVBoxLayout>

namespace sluice::console {

HeadlineTile::HeadlineTile(const QString& caption, const QString& tooltip, QWidget* parent) : QFrame(parent) {
  setFrameShape(QFrame::StyledPanel);
  setObjectName(QStringLiteral("HeadlineTile"));
  setStyleSheet(QStringLiteral(
      "#HeadlineTile { background: palette(base); border: 1px solid palette(mid); border-radius: 4px; }"));
  setToolTip(tooltip);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(12, 6, 12, 6);
  layout->setSpacing(0);
  auto* caption_label = new QLabel(caption, this);
  caption_label->setStyleSheet(QStringLiteral("color: palette(dark);"));
  value_ = new QLabel(QStringLiteral("—"), this);
  QFont font = value_->font();
  font.setPointSizeF(font.pointSizeF() * 1.8);
  font.setBold(true);
  value_->setFont(font);
  layout->addWidget(caption_label);
  layout->addWidget(value_);
}

void HeadlineTile::setValue(const QString& value) {
  value_->setText(value);
}

QString HeadlineTile::value() const {
  return value_->text();
}

}  // namespace sluice::console
