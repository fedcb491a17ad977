// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// The mapping from libibverbs attributes to the model, as plain code:
// VerbsDeviceAttr and VerbsPortAttr mirror the fields of ibv_device_attr,
// ibv_port_attr and GID 0 that the backend reads (same encodings, same
// byte order), so tests feed them the values a real adapter reports
// without a device or the rdma-core headers.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ofmf/backend/inventory.hpp"
#include "ofmf/error.hpp"
#include "ofmf/model/fabric.hpp"

namespace ofmf::backend::verbs {

/// ibv_port_attr (the fields used) plus the interface ID of GID index 0.
struct VerbsPortAttr {
  std::uint8_t state = 0;         ///< enum ibv_port_state: 0 NOP, 1 DOWN, 2 INIT, 3 ARMED, 4 ACTIVE, 5 ACTIVE_DEFER
  std::uint8_t max_mtu = 0;       ///< enum ibv_mtu: 1 = 256 ... 5 = 4096
  std::uint8_t active_mtu = 0;
  std::uint16_t lid = 0;
  std::uint16_t sm_lid = 0;
  std::uint8_t lmc = 0;
  std::uint8_t active_width = 0;  ///< 1 = 1x, 2 = 4x, 4 = 8x, 8 = 12x, 16 = 2x
  std::uint8_t active_speed = 0;  ///< 1 SDR, 2 DDR, 4 QDR, 8 FDR10, 16 FDR, 32 EDR, 64 HDR, 128 NDR
  std::uint8_t phys_state = 0;    ///< IBA PortPhysicalState: 1 sleep ... 5 LinkUp ... 7 PhyTest
  std::uint8_t link_layer = 0;    ///< IBV_LINK_LAYER_*: 0 unspecified, 1 InfiniBand, 2 Ethernet
  std::uint64_t gid0_interface_id_be = 0;  ///< ibv_gid.global.interface_id (network byte order)
};

/// ibv_device_attr (the fields used), the device name and ibv_node_type.
struct VerbsDeviceAttr {
  std::string name;                ///< ibv_get_device_name()
  int node_type = 1;               ///< enum ibv_node_type: 1 CA, 2 SWITCH, 3 ROUTER, 4 RNIC, 5 USNIC, ...
  std::string fw_ver;
  std::uint64_t node_guid_be = 0;  ///< network byte order, as ibv_query_device returns it
  std::uint64_t sys_image_guid_be = 0;
  std::uint32_t vendor_id = 0;
  std::uint32_t vendor_part_id = 0;
  std::uint32_t hw_ver = 0;
  std::uint8_t phys_port_cnt = 0;
};

/// Converts a 64-bit value in network byte order to host order.
std::uint64_t be64_to_host(std::uint64_t v) noexcept;

/// One port. Errors: errc::out_of_range (port number 0), errc::protocol_error
/// (a state, MTU or link layer outside the encodings above). Unknown width
/// or speed encodings are kept as notes, not errors (new hardware).
Result<RdmaPort> map_port(unsigned number, const VerbsPortAttr& attr);

/// A device and its ports (ports[i] is port i + 1). Errors:
/// errc::inconsistent (ports.size() != phys_port_cnt), errc::invalid_argument
/// (node GUID 0), map_port()'s errors naming the device and port.
Result<RdmaDevice> map_device(const VerbsDeviceAttr& device, std::span<const VerbsPortAttr> ports);

/// The devices as channel adapters (switch devices as switches) of a
/// model::Fabric, unlinked. Port GUIDs: GID 0's interface ID; when that is
/// 0, node GUID + port number. Errors: the model's (duplicate GUIDs, ...).
Result<model::Fabric> to_fabric(std::span<const RdmaDevice> devices);

} // namespace ofmf::backend::verbs
