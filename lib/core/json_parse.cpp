// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// parse_json(): nlohmann's DOM builder without exceptions, remembering
// where parsing stopped, with a nesting limit.
#include "core/detail/json_parse.hpp"

#include <algorithm>

namespace ofmf::detail {

namespace {

using json = nlohmann::json;

class Builder : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  Builder(json& out, std::size_t max_depth) : json_sax_dom_parser(out, false), max_depth_(max_depth) {}
  bool start_object(std::size_t n) { return deeper() && json_sax_dom_parser::start_object(n); }
  bool start_array(std::size_t n) { return deeper() && json_sax_dom_parser::start_array(n); }
  bool end_object() {
    --depth_;
    return json_sax_dom_parser::end_object();
  }
  bool end_array() {
    --depth_;
    return json_sax_dom_parser::end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& last_token, const Exception& ex) {
    position_ = position;
    message_ = ex.what();
    return json_sax_dom_parser::parse_error(position, last_token, ex);
  }
  std::size_t position() const { return position_; }
  const std::string& message() const { return message_; }
  bool too_deep() const { return too_deep_; }

 private:
  bool deeper() {
    if (++depth_ <= max_depth_) return true;
    too_deep_ = true;
    return false;
  }
  std::size_t max_depth_, depth_ = 0;
  std::size_t position_ = 0;
  std::string message_;
  bool too_deep_ = false;
};

std::string where(std::string_view text, std::string_view source, std::size_t position) {
  position = std::min(position, text.size());
  const std::string_view before = text.substr(0, position);
  const std::size_t line = 1 + std::size_t(std::count(before.begin(), before.end(), '\n'));
  const std::size_t nl = before.rfind('\n');
  const std::size_t column = nl == std::string_view::npos ? position + 1 : position - nl;
  return std::string(source) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

} // namespace

Result<json> parse_json(std::string_view text, std::string_view source, std::size_t max_depth) {
  json out;
  Builder builder(out, max_depth);
  const bool ok = json::sax_parse(text.begin(), text.end(), &builder);
  if (builder.too_deep())
    return fail(errc::parse_error, std::string(source) + ": arrays and objects nested deeper than " +
                                       std::to_string(max_depth) + " levels");
  if (!ok || out.is_discarded()) {
    // nlohmann's messages begin with "[json.exception.parse_error.101] parse error at line 1, column 2: ".
    std::string m = builder.message();
    if (const auto colon = m.find(": "); m.rfind("[json.exception", 0) == 0 && colon != std::string::npos)
      m = m.substr(colon + 2);
    return fail(errc::parse_error, where(text, source, builder.position() ? builder.position() - 1 : 0) + ": " + m);
  }
  return out;
}

void pointer_append(std::string& pointer, std::string_view key) {
  pointer += '/';
  for (char c : key) {
    if (c == '~')
      pointer += "~0";
    else if (c == '/')
      pointer += "~1";
    else
      pointer += c;
  }
}

} // namespace ofmf::detail
