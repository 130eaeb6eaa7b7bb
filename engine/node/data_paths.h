#pragma once
// Where the node keeps its data when the config does not say (DESIGN.md, "Service paths"):
// $SLUICE_DATA_DIR when set (an absolute path); else as root /var/lib/sluice; otherwise
// $XDG_DATA_HOME/sluice, or ~/.local/share/sluice. Holds config-history/ and, by default, cache/.

#include <string>

namespace sluice::node {

std::string defaultDataDir();
// `configured` when set, else defaultDataDir() + "/" + leaf.
std::string dataPath(const std::string& configured, const std::string& leaf);

}  // namespace sluice::node
