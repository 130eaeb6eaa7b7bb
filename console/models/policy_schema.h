#pragma once
// The keys of a `rate_limits:` or `cache_policies:` entry (docs/config-reference.md) with their
// types and defaults: one description drives the policy table's columns and the edit form's fields,
// and names the control methods of the section. Static data, any thread.

#include <QList>
#include <QString>
#include <QStringList>

namespace sluice::console {

struct PolicyField {
  enum class Kind {
    Name,
    Choice,
    IntegerChoice,
    EditableChoice,
    Integer,
    Duration,
    Size,
    Boolean,
    PolicyName
  };
  QString key;
  Kind kind = Kind::Name;
  QString label;         // with a mnemonic ("&Limit"), unique on its page and apart from the menus (F, G, C)
                         // and the page's buttons (N, D, E, A, V, P)
  QString default_text;  // what the node uses when the key is absent; empty = required or none
  QString help;          // tooltip
  QStringList choices;   // Choice / EditableChoice
  bool column = false;   // shown as a table column
};

struct PolicySchema {
  QString section;   // "rate_limits"
  QString title;     // "Rate limits"
  QString singular;  // "rate limit"
  QList<PolicyField> fields;

  QString listMethod() const { return section + QStringLiteral(".list"); }
  QString setMethod() const { return section + QStringLiteral(".set"); }
  QString deleteMethod() const { return section + QStringLiteral(".delete"); }
  const PolicyField* field(const QString& key) const;

  static const PolicySchema& rateLimits();
  static const PolicySchema& cachePolicies();
};

}  // namespace sluice::console
