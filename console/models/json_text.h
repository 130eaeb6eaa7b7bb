#pragma once
// How the console shows config values from JSON (numbers without a trailing ".0", lists joined with
// ", ") and turns typed text back into JSON for an edit (an integer stays a number, "true"/"false" a
// boolean, anything else a string the node validates). Plain functions, any thread.

#include <QJsonValue>
#include <QString>

namespace sluice::console {

QString jsonText(const QJsonValue& value);
// Typed text → the JSON value to send; `integer` asks for a number when the text is one.
QJsonValue jsonFromText(const QString& text, bool integer, bool boolean);

}  // namespace sluice::console
