// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// The one place the Redfish schema versions the library emits are pinned
/// (DMTF DSP8010 2025.4, the newest version of each schema there). Every
/// `@odata.type` the renderer writes comes from this file; the importer
/// accepts these (and reads the namespace, not the version, to know the
/// resource type).

#include <string_view>

namespace ofmf::redfish::schema {

/// DSP8010 bundle the versions below are taken from.
inline constexpr std::string_view bundle = "DSP8010 2025.4";

// Versioned resources: "#Namespace.vX_Y_Z.Type".
inline constexpr std::string_view service_root = "#ServiceRoot.v1_20_0.ServiceRoot";
inline constexpr std::string_view session_service = "#SessionService.v1_2_0.SessionService";
inline constexpr std::string_view fabric = "#Fabric.v1_4_0.Fabric";
inline constexpr std::string_view switch_ = "#Switch.v1_11_0.Switch";
inline constexpr std::string_view port = "#Port.v1_18_0.Port";
inline constexpr std::string_view port_metrics = "#PortMetrics.v1_8_1.PortMetrics";
inline constexpr std::string_view endpoint = "#Endpoint.v1_8_2.Endpoint";
inline constexpr std::string_view zone = "#Zone.v1_6_3.Zone";
inline constexpr std::string_view address_pool = "#AddressPool.v1_3_0.AddressPool";
inline constexpr std::string_view chassis = "#Chassis.v1_28_0.Chassis";
inline constexpr std::string_view fabric_adapter = "#FabricAdapter.v1_5_3.FabricAdapter";

/// Version of the common definitions (Status, Identifier, DurableNameFormat)
/// the resources above reference.
inline constexpr std::string_view resource = "#Resource.v1_23_0";

// Collections are unversioned.
inline constexpr std::string_view session_collection = "#SessionCollection.SessionCollection";
inline constexpr std::string_view fabric_collection = "#FabricCollection.FabricCollection";
inline constexpr std::string_view switch_collection = "#SwitchCollection.SwitchCollection";
inline constexpr std::string_view port_collection = "#PortCollection.PortCollection";
inline constexpr std::string_view endpoint_collection = "#EndpointCollection.EndpointCollection";
inline constexpr std::string_view zone_collection = "#ZoneCollection.ZoneCollection";
inline constexpr std::string_view address_pool_collection = "#AddressPoolCollection.AddressPoolCollection";
inline constexpr std::string_view chassis_collection = "#ChassisCollection.ChassisCollection";
inline constexpr std::string_view fabric_adapter_collection = "#FabricAdapterCollection.FabricAdapterCollection";

/// Redfish protocol version the ServiceRoot reports (`RedfishVersion`).
inline constexpr std::string_view redfish_version = "1.22.0";

} // namespace ofmf::redfish::schema
