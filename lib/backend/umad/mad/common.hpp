// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// What the codec's sources share besides the tables: error helpers and
/// the checks of an answer's header common to SMPs and PerfMgt MADs.
/// Private to the umad backend (not installed).

#include <string>

#include "tables.hpp"

namespace ofmf::backend::umad::detail {

using fields::hex;

/// errc::protocol_error with `what`.
inline Unexpected bad(std::string what) { return fail(errc::protocol_error, std::move(what)); }

/// "Get", "GetResp", ... or the hex value.
std::string method_name(std::uint8_t method);

/// The answer `r` to request `q`: class, method GetResp, transaction ID
/// (low 32 bits), attribute ID and modifier. `kind` ("SMP", "PerfMgt")
/// starts the message.
Result<void> check_common(const MadHeader& q, const MadHeader& r, const char* kind);
/// `status` of answer `r` (direction bit already removed) as an error:
/// errc::busy, errc::not_supported, errc::invalid_argument or
/// errc::protocol_error; success for 0.
Result<void> check_status(const MadHeader& r, std::uint16_t status, const char* kind);

/// A request header of class `cls`: base version 1, the given class
/// version, method, TID, attribute and modifier.
MadHeader request_header(MgmtClass cls, std::uint8_t class_version, Method method, std::uint16_t attr,
                         std::uint32_t attr_mod, std::uint64_t tid) noexcept;

/// Appends the dump of SMP attribute `attr` in `data` (names qualified
/// with the attribute's name when `qualified`); false, appending nothing,
/// when the attribute has no table. In smp.cpp.
bool dump_smp_attribute(std::string& out, std::uint16_t attr, std::span<const std::uint8_t> data, bool qualified);
/// The same for PerfMgt attributes. In perf.cpp.
bool dump_perf_attribute(std::string& out, std::uint16_t attr, std::span<const std::uint8_t> data, bool qualified);

} // namespace ofmf::backend::umad::detail
