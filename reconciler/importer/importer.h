// The pure part of `pkiform import` (docs/import.md): from one peer's observation
// (plan/actual.h) and the repository's Issuers, the Cluster a manifest would need
// so that `plan` right after finds nothing to change, and the list of what the
// host has that a manifest cannot say. Nothing here talks to a host or writes a
// file: the command (cli/import_command.cc) observes, then renders (render.h).
//
// The request is a Cluster too (the probe): its connection, its one peer, and,
// on platforms whose slots are files the admin chose (openssh), the slots' files,
// reload commands and trust store paths. Every value taken from the host is data:
// bounded by the provider's reads, escaped by the renderer, never guessed at
// (a certificate whose issuer the repository lacks is left out, with the reason).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "reconciler/importer/issuer_match.h"
#include "reconciler/manifest/duration.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/clock.h"
#include "reconciler/plan/actual.h"

namespace pkiform::importer {

// Something on the host the manifest leaves out, and why ("identity slot nginx").
struct NotExpressed {
  std::string what;
  std::string why;
};

// A trust store's certificates as found, for a PEM file next to the manifest.
struct TrustFile {
  std::string store;
  std::string file;  // relative to the manifest's folder, as the manifest names it
  std::string pem;
};

struct Imported {
  Cluster cluster;
  std::vector<TrustFile> trust_files;
  std::vector<NotExpressed> not_expressed;
  // Where each expressed item came from ("identity slot nginx", "trust store /etc/..."), for the comments.
  std::vector<std::pair<std::string, std::string>> origins;
  // Written, but `plan` will still change it (its reason): the host is not in a
  // state the manifest could accept as is (an expired certificate, a key that does
  // not belong to it).
  std::vector<std::string> notes;
};

// How the names of a served certificate split over the manifest's fields (per-peer
// SANs, certificate_names.h): CN = the peer's FQDN unless overridden, the cluster's
// FQDN when the caller names it, everything else extraDnsNames. `problem` says why
// the names cannot be written (a manifest's certificate names the peer and carries
// its CN as a DNS name), "" when they can.
struct NameSplit {
  std::string common_name;  // "" when the CN is the peer's FQDN (the default)
  std::vector<std::string> extra_dns_names, ip_addresses;
  std::string problem;
};
NameSplit SplitNames(const std::string& cn, const std::vector<std::string>& dns_names,
                     const std::vector<std::string>& ip_addresses, const std::string& peer_fqdn,
                     const std::string& cluster_fqdn);

// A certificate's lifetime as a manifest writes it: whole days (rounded to the
// nearest, so a backdated notBefore does not show), or whole hours below a day.
Duration RoundedDuration(std::chrono::seconds validity);
// renewBefore for a lifetime: a third of it (cert-manager's default), in the same units.
Duration RenewBeforeFor(const Duration& duration);

// What a node says of itself (ucm: role, node type, release) fills the probe's peer role,
// product and platformVersion, and keeps only the catalogue's slots and stores of its node
// type; nothing on platforms whose hosts report nothing (openssh, vcs). What it cannot fill
// (a build pkiform does not know) is said in `left_out`.
void AdoptNode(const Actual& actual, Cluster& probe, std::vector<NotExpressed>& left_out);

// `probe`: the cluster as the command line describes it (name, platform, fqdn,
// connection, exactly one peer, the slots and trust stores to look at; AdoptNode is applied). `trust_prefix`
// names the trust files ("<prefix>.trust1.pem", ...).
Imported ImportCluster(const Cluster& probe, const Actual& actual, const std::vector<KnownIssuer>& issuers,
                       const std::string& trust_prefix, pki::TimePoint now);

}  // namespace pkiform::importer
