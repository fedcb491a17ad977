// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The libfabric inventory: every fi_info of fi_getinfo() as an
// OfiInterface, filtered by provider, capabilities and endpoint type.
#include <rdma/fabric.h>
#include <rdma/fi_errno.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "ofi_detail.hpp"
#include "ofmf/backend/inventory.hpp"

namespace ofmf::backend {
namespace {

struct CapName {
  std::string_view name;
  std::uint64_t bit;
};

// Names as in fi_getinfo(3), without the FI_ prefix, lowercase.
constexpr CapName cap_names[] = {
    {"msg", FI_MSG},
    {"tagged", FI_TAGGED},
    {"rma", FI_RMA},
    {"atomic", FI_ATOMIC},
    {"multicast", FI_MULTICAST},
    {"named_rx_ctx", FI_NAMED_RX_CTX},
    {"directed_recv", FI_DIRECTED_RECV},
    {"read", FI_READ},
    {"write", FI_WRITE},
    {"send", FI_SEND},
    {"recv", FI_RECV},
    {"remote_read", FI_REMOTE_READ},
    {"remote_write", FI_REMOTE_WRITE},
    {"rma_event", FI_RMA_EVENT},
    {"source", FI_SOURCE},
    {"source_err", FI_SOURCE_ERR},
    {"hmem", FI_HMEM},
    {"collective", FI_COLLECTIVE},
    {"local_comm", FI_LOCAL_COMM},
    {"remote_comm", FI_REMOTE_COMM},
    {"shared_av", FI_SHARED_AV},
    {"trigger", FI_TRIGGER},
    {"fence", FI_FENCE},
    {"rma_pmem", FI_RMA_PMEM},
    {"variable_msg", FI_VARIABLE_MSG},
    {"av_user_id", FI_AV_USER_ID},
    {"peer", FI_PEER},
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::uint64_t> cap_bit(std::string_view name) {
  std::string l = lower(name);
  if (l.starts_with("fi_")) l.erase(0, 3);
  for (const CapName& c : cap_names)
    if (c.name == l) return c.bit;
  return std::nullopt;
}

std::string protocol_name(std::uint32_t p) {
  // fi_tostr prints the protocol names libfabric defines.
  const char* s = fi_tostr(&p, FI_TYPE_PROTOCOL);
  return s ? std::string(s) : std::to_string(p);
}

std::vector<std::string> split_chain(std::string_view chain) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= chain.size()) {
    const std::size_t semi = std::min(chain.find(';', pos), chain.size());
    parts.emplace_back(chain.substr(pos, semi - pos));
    pos = semi + 1;
  }
  return parts;
}

bool provider_matches(std::string_view chain, std::string_view wanted) {
  if (wanted.empty() || chain == wanted) return true;
  for (const std::string& part : split_chain(chain))
    if (part == wanted) return true;
  return false;
}

std::optional<EndpointType> ep_type(fi_ep_type t) {
  switch (t) {
    case FI_EP_MSG: return EndpointType::Msg;
    case FI_EP_RDM: return EndpointType::Rdm;
    case FI_EP_DGRAM: return EndpointType::Dgram;
    default: return std::nullopt;
  }
}

OfiInterface to_interface(const fi_info& fi) {
  OfiInterface o;
  if (fi.fabric_attr) {
    if (fi.fabric_attr->prov_name) o.provider = fi.fabric_attr->prov_name;
    if (fi.fabric_attr->name) o.fabric = fi.fabric_attr->name;
    const std::uint32_t v = fi.fabric_attr->prov_version;
    o.provider_version = std::to_string(FI_MAJOR(v)) + "." + std::to_string(FI_MINOR(v));
  }
  o.core_provider = split_chain(o.provider).front();
  if (fi.domain_attr && fi.domain_attr->name) o.domain = fi.domain_attr->name;
  if (fi.ep_attr) {
    o.endpoint_type = ep_type(fi.ep_attr->type).value_or(EndpointType::Rdm);
    o.protocol = protocol_name(fi.ep_attr->protocol);
    o.max_msg_size = fi.ep_attr->max_msg_size;
  }
  if (fi.tx_attr) o.inject_size = fi.tx_attr->inject_size;
  for (const CapName& c : cap_names)
    if (fi.caps & c.bit) o.caps.push_back("FI_" + upper(c.name));
  o.address_format = ofi::address_format_name(fi.addr_format);
  o.source_address = ofi::format_address(fi.addr_format, fi.src_addr, fi.src_addrlen);
  if (fi.nic && fi.nic->link_attr && fi.nic->link_attr->network_type)
    o.link_layer = fi.nic->link_attr->network_type;
  return o;
}

struct InfoList {
  fi_info* head = nullptr;
  ~InfoList() {
    if (head) fi_freeinfo(head);
  }
};

// Every fi_info libfabric reports (all providers, all endpoint types).
Result<std::vector<OfiInterface>> all_interfaces() {
  fi_info* hints = fi_allocinfo();
  if (!hints) throw std::bad_alloc();
  // Ask for everything a provider may require of its user, so no
  // provider is left out for a mode bit.
  hints->mode = ~0ULL;
  hints->domain_attr->mode = ~0ULL;
  hints->domain_attr->mr_mode = int(~(FI_MR_BASIC | FI_MR_SCALABLE));
  InfoList list;
  const int ret = fi_getinfo(FI_VERSION(FI_MAJOR_VERSION, FI_MINOR_VERSION), nullptr, nullptr, 0, hints, &list.head);
  fi_freeinfo(hints);
  std::vector<OfiInterface> out;
  if (ret == -FI_ENODATA) return out;
  if (ret) return Unexpected(ofi::fi_error(ret, "fi_getinfo"));
  for (const fi_info* fi = list.head; fi; fi = fi->next) out.push_back(to_interface(*fi));
  return out;
}

} // namespace

Result<std::vector<std::string>> ofi_providers() {
  auto all = all_interfaces();
  if (!all) return Unexpected(std::move(all).error());
  std::set<std::string> names;
  for (const OfiInterface& o : *all) names.insert(o.provider);
  return std::vector<std::string>(names.begin(), names.end());
}

Result<std::vector<OfiInterface>> ofi_inventory(const OfiFilter& filter) {
  std::uint64_t want = 0;
  for (const std::string& c : filter.caps) {
    const auto bit = cap_bit(c);
    if (!bit) {
      std::string known;
      for (const CapName& n : cap_names) known += (known.empty() ? "" : ", ") + std::string(n.name);
      return fail(errc::invalid_argument, "libfabric inventory: unknown capability \"" + c + "\" (known: " + known + ")");
    }
    want |= *bit;
  }
  auto all = all_interfaces();
  if (!all) return Unexpected(std::move(all).error());
  std::vector<OfiInterface> out;
  std::set<std::string> providers;
  bool provider_seen = false;
  for (OfiInterface& o : *all) {
    providers.insert(o.provider);
    if (!provider_matches(o.provider, filter.provider)) continue;
    provider_seen = true;
    if (filter.endpoint_type && o.endpoint_type != *filter.endpoint_type) continue;
    std::uint64_t have = 0;
    for (const std::string& c : o.caps) have |= cap_bit(c).value_or(0);
    if ((have & want) != want) continue;
    out.push_back(std::move(o));
  }
  if (!provider_seen) {
    std::string known;
    for (const std::string& p : providers) known += (known.empty() ? "" : ", ") + p;
    return fail(errc::not_found, "libfabric provider \"" + filter.provider + "\" is not available on this host (available: " +
                                     (known.empty() ? std::string("none") : known) + ")");
  }
  return out;
}

} // namespace ofmf::backend
