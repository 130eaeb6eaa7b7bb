#include "console/models/route_table_model.h"

#include "console/models/json_text.h"

namespace sluice::console {

void RouteTableModel::setRoutes(const QJsonArray& routes) {
  beginResetModel();
  routes_.clear();
  for (const QJsonValue& value : routes) {
    if (value.isObject()) {
      routes_.append(value.toObject());
    }
  }
  endResetModel();
}

QStringList RouteTableModel::names() const {
  QStringList names;
  for (const QJsonObject& route : routes_) {
    names.append(route.value(QLatin1String("name")).toString());
  }
  return names;
}

RouteLinks RouteTableModel::links() const {
  RouteLinks links;
  for (const QJsonObject& route : routes_) {
    RouteLink link;
    link.cache = route.value(QLatin1String("cache")).toString();
    for (const QJsonValue& name : route.value(QLatin1String("rate_limits")).toArray()) {
      link.rate_limits.append(name.toString());
    }
    links.insert(route.value(QLatin1String("name")).toString(), link);
  }
  return links;
}

int RouteTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(routes_.size());
}

int RouteTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RouteTableModel::data(const QModelIndex& index, int role) const {
  if (role != Qt::DisplayRole ||
      !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const QJsonObject& route = routes_.at(index.row());
  switch (index.column()) {
    case Name:
      return route.value(QLatin1String("name")).toString();
    case Match: {
      const QJsonObject match = route.value(QLatin1String("match")).toObject();
      QStringList parts;
      for (auto it = match.begin(); it != match.end(); ++it) {
        parts.append(it.key() + QLatin1Char('=') + jsonText(it.value()));
      }
      return parts.isEmpty() ? tr("(everything)") : parts.join(QLatin1Char(' '));
    }
    case Target: {
      const QString handler = route.value(QLatin1String("handler")).toString();
      if (handler == QLatin1String("proxy")) {
        return tr("upstream %1").arg(route.value(QLatin1String("upstream")).toString());
      }
      return handler;
    }
    case Cache:
      return route.value(QLatin1String("cache")).toString();
    case RateLimits:
      return jsonText(route.value(QLatin1String("rate_limits")));
    default:
      return {};
  }
}

QVariant RouteTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return {};
  }
  switch (section) {
    case Name:
      return tr("Route");
    case Match:
      return tr("Match");
    case Target:
      return tr("Target");
    case Cache:
      return tr("Cache");
    case RateLimits:
      return tr("Rate limits");
    default:
      return {};
  }
}

}  // namespace sluice::console
