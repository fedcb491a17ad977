// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// What the host offers for fabric traffic, as plain values: the
/// interfaces libfabric reports (one per provider/fabric/domain/endpoint
/// type, as `fi_info` lists them) and the RDMA devices libibverbs reports
/// with their ports. The model (model::Fabric) holds what an InfiniBand
/// subnet manager needs; these types keep the rest (link layer, firmware,
/// provider capabilities, addresses). The ofi backend's Session::discover()
/// therefore returns errc::not_supported; ofi_inventory() is the libfabric
/// view, and ofmf/backend/probe.hpp's merge_ofi() puts it into the same
/// Redfish service tree as a rendered fabric.
///
/// This header includes no rdma-core or libfabric header. Functions of a
/// backend that was not compiled in return errc::not_supported.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::backend {

// ---------------------------------------------------------------- libfabric

/// Endpoint type (fi_ep_attr::type).
enum class EndpointType : std::uint8_t {
  Msg,    ///< connected, reliable (FI_EP_MSG)
  Rdm,    ///< reliable datagram, connectionless (FI_EP_RDM)
  Dgram,  ///< unreliable datagram (FI_EP_DGRAM)
};

/// "msg", "rdm", "dgram".
OFMF_API std::string_view to_string(EndpointType t) noexcept;
/// Accepts "msg", "rdm", "dgram" (any case) and "FI_EP_MSG" etc.
OFMF_API std::optional<EndpointType> parse_endpoint_type(std::string_view s) noexcept;

/// One libfabric interface: one fi_info entry of fi_getinfo().
struct OfiInterface {
  std::string provider;          ///< provider chain, e.g. "tcp;ofi_rxm"
  std::string core_provider;     ///< the first name of the chain ("tcp")
  std::string provider_version;  ///< "117.0"
  std::string fabric;            ///< fabric_attr->name ("127.0.0.1/32", "shm")
  std::string domain;            ///< domain_attr->name ("lo", "mlx5_0")
  EndpointType endpoint_type = EndpointType::Rdm;
  std::string protocol;          ///< "FI_PROTO_RXM", "FI_PROTO_SOCK_TCP", ...
  std::vector<std::string> caps; ///< capability bits: "FI_MSG", "FI_RMA", ...
  std::string address_format;    ///< "FI_SOCKADDR_IN", "FI_ADDR_STR", ...
  std::string source_address;    ///< printable source address ("fi_sockaddr_in://127.0.0.1:0"), "" if none
  std::uint64_t max_msg_size = 0;  ///< ep_attr->max_msg_size
  std::uint64_t inject_size = 0;   ///< tx_attr->inject_size
  std::string link_layer;        ///< nic->link_attr->network_type ("InfiniBand", "Ethernet") or ""
};

/// Which interfaces ofi_inventory() returns.
struct OfiFilter {
  /// Provider name: matches the whole chain ("tcp;ofi_rxm") or any of its
  /// parts ("tcp", "ofi_rxm"). Empty = every provider.
  std::string provider;
  /// Capabilities every returned interface has: "msg", "tagged", "rma",
  /// "atomic", ... or "FI_MSG" etc. Empty = no condition.
  std::vector<std::string> caps;
  std::optional<EndpointType> endpoint_type;  ///< nullopt = every type
};

/// Interfaces fi_getinfo() reports on this host, filtered. The order is
/// libfabric's (preferred first). Errors: errc::not_found (the filter's
/// provider is not among the available ones; the message lists them),
/// errc::invalid_argument (an unknown capability name),
/// errc::not_supported (built without libfabric). No interface matching
/// the capability or type filter is an empty list, not an error.
OFMF_API Result<std::vector<OfiInterface>> ofi_inventory(const OfiFilter& filter = {});

/// Names of every provider chain libfabric reports (sorted, unique).
/// Errors: errc::not_supported (built without libfabric).
OFMF_API Result<std::vector<std::string>> ofi_providers();

/// Capability names ofi_inventory() accepts in OfiFilter::caps, lowercase
/// ("msg", "tagged", ...).
OFMF_API std::vector<std::string_view> ofi_capability_names();

// ------------------------------------------------------------------- verbs

/// Link layer of an RDMA port (ibv_port_attr::link_layer).
enum class LinkLayer : std::uint8_t {
  Unspecified = 0,  ///< IBV_LINK_LAYER_UNSPECIFIED (treated as InfiniBand by rdma-core)
  InfiniBand = 1,
  Ethernet = 2,     ///< RoCE
};

/// "InfiniBand", "Ethernet", "Unspecified".
OFMF_API std::string_view to_string(LinkLayer l) noexcept;

/// One port of an RDMA device.
struct RdmaPort {
  model::PortNum number = 1;
  LinkLayer link_layer = LinkLayer::InfiniBand;
  /// Port attributes in model terms: GUID (from GID index 0 on InfiniBand,
  /// 0 on Ethernet when unknown), LID, LMC, state, physical state, width,
  /// speed, active MTU.
  model::PortAttributes attributes;
  model::Mtu max_mtu = model::Mtu::Mtu4096;
  std::uint16_t sm_lid = 0;
  /// Speed or width values the model cannot express (e.g. an unknown
  /// future encoding) are reported here, the attribute keeps its default.
  std::vector<std::string> notes;
};

/// One RDMA device (ibv_device + ibv_device_attr).
struct RdmaDevice {
  std::string name;              ///< "mlx5_0"
  model::Guid node_guid = 0;
  model::Guid system_guid = 0;
  std::uint32_t vendor_id = 0;   ///< IEEE OUI
  std::uint32_t vendor_part_id = 0;
  std::uint32_t hw_version = 0;
  std::string firmware;          ///< "20.31.1014"
  model::NodeType node_type = model::NodeType::ChannelAdapter;
  std::vector<RdmaPort> ports;   ///< ports 1..phys_port_cnt, in order
};

/// RDMA devices libibverbs sees. No device is an empty list, not an
/// error. Errors: errc::not_supported (built without libibverbs), the
/// system errno of ibv_get_device_list/ibv_open_device/ibv_query_* other
/// than "no device" (e.g. EACCES).
OFMF_API Result<std::vector<RdmaDevice>> verbs_inventory();

} // namespace ofmf::backend
