// The DMS AAI dialect: every menu name, field label, button, success message and staging
// file name the dms provider uses, read from schema/dialects/dms-aai.yaml (embedded in the
// binary). Keeping the wording as data means a correction from a real appliance changes the
// file, not the code. Parsing is strict: an unknown or missing key is an error naming its path.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "reconciler/util/result.h"

namespace pkiform::dms {

struct Dialect {
  struct {
    std::string main_menu;
    int frame_seconds = 0;
    size_t max_frame_bytes = 0;
  } session;
  struct {
    std::string certificate_management, manage_signed, manage_self_signed, generate_csr, import_certificate,
        generate_new_cert, view_cert_chain, export_keystore, import_keystore;
  } menus;
  struct {
    std::string department, organization, location, state, country, months, server, user, password, pem_path,
        chain_paths, passphrase, keystore_path;
  } fields;
  struct {
    std::string ok, yes, exit;
  } buttons;
  struct {
    std::string csr_transferred, certificate_imported, keystore_exported, keystore_imported, self_signed_warning;
  } success;
  struct {
    std::string csr_file, keystore_file, server_with_port;
    size_t max_csr_bytes = 0;
  } staging;
};

Result<Dialect> ParseDialect(std::string_view file, std::string_view text);

// schema/dialects/dms-aai.yaml, parsed once.
const Result<Dialect>& BuiltinDialect();

}  // namespace pkiform::dms
