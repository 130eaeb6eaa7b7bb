#include "engine/filters/cache/stored_response_writer.h"

#include "engine/core/number_format.h"
#include "engine/http/header_field.h"

namespace sluice::filters::cache {
namespace {

bool hasDate(std::string_view block) {
  // Lines start at the block's start or after "\r\n".
  for (size_t at = 0; at + 5 <= block.size();) {
    if (http::equalsIgnoreCase(block.substr(at, 5), "date:")) {
      return true;
    }
    const size_t eol = block.find("\r\n", at);
    if (eol == std::string_view::npos) {
      break;
    }
    at = eol + 2;
  }
  return false;
}

void appendHeadLines(std::string& scratch, std::string_view header_block, int64_t age_s,
                     std::string_view cache_status) {
  scratch.clear();
  scratch.append(header_block);
  scratch.append("Age: ");
  core::appendDecimal(scratch, static_cast<uint64_t>(age_s < 0 ? 0 : age_s));
  scratch.append("\r\nCache-Status: ").append(cache_status).append("\r\n");
}

}  // namespace

void writeStoredResponse(server::ResponseSink& sink, std::string& scratch, const StoredResponse& response,
                         std::string_view cache_status) {
  appendHeadLines(scratch, response.header_block, response.age_s, cache_status);
  server::ResponseStart start;
  start.status = response.status;
  start.extra_lines = scratch;
  start.has_content_length = true;
  start.content_length = response.body.size();
  start.has_date = hasDate(response.header_block);
  sink.startResponse(start);
  if (!response.body.empty()) {
    sink.sendBody(response.body.data(), response.body.size());
  }
  sink.finishResponse();
}

void writeNotModified(server::ResponseSink& sink, std::string& scratch, std::string_view header_block, int64_t age_s,
                      std::string_view cache_status) {
  appendHeadLines(scratch, header_block, age_s, cache_status);
  server::ResponseStart start;
  start.status = 304;
  start.extra_lines = scratch;
  start.has_date = hasDate(header_block);
  sink.startResponse(start);
  sink.finishResponse();
}

}  // namespace sluice::filters::cache
