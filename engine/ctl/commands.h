#pragma once
// The `sluice ctl` commands, one function per top-level word; each maps to control methods
// (docs/control-protocol.md) and returns the process exit code (see session.h).

#include "engine/ctl/ctl_args.h"
#include "engine/ctl/session.h"

namespace sluice::ctl {

int cmdHello(Session& session, CtlArgs& args);          // hello
int cmdStats(Session& session, CtlArgs& args);          // stats.get, stats.subscribe, stats.history
int cmdConfig(Session& session, CtlArgs& args);         // config.get, config.history, config.rollback
int cmdRateLimits(Session& session, CtlArgs& args);     // rate_limits.list / set / delete
int cmdCachePolicies(Session& session, CtlArgs& args);  // cache_policies.list / set / delete
int cmdRoutes(Session& session, CtlArgs& args);         // routes.list
int cmdUpstreams(Session& session, CtlArgs& args);      // upstreams.list / drain / undrain
int cmdCache(Session& session, CtlArgs& args);          // cache.purge

}  // namespace sluice::ctl
