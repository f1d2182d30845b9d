// The guard against yaml-cpp 0.7's endless LoadAll (fixed upstream after 0.7).
//
// LoadAll asks the parser for documents until it says there are no more. When a
// document's top node would start at a token that yaml-cpp's HandleNode neither
// handles nor consumes, the parser reports an empty document and stays where it
// was, and LoadAll loops forever, adding an empty document each turn (~400 MB/s).
// Found by trying inputs:
//   a ',' (flow entry): ",", ",\n", " ,", ",a", "# c\n,", "---\n,", "...\n,",
//     "&a ,", "&a,", "!t ,", "!t,", and after a complete top node: "[a],",
//     "{a: 1},", "\"a\" ,", "'a',", "[a]\n,", "- a\n,", "a: 1\n---\n,";
//   a '?' (key) after an anchored top node: "&x a\n? ", "&x 1\n? d".
// Inside a block mapping or sequence the same tokens are ordinary errors
// ("a: 1\n,", "- ,"), and after ordinary characters a ',' is part of a plain
// scalar ("a,", "a ,"): neither loops. The set is not known to be complete,
// so the guard does not look for these inputs: it watches the parser.
//
// ProbeDocuments runs yaml-cpp's parser over the text with a handler that builds
// nothing: a document that starts where the previous one started consumed
// nothing, and the next would do the same forever. It also bounds how many
// documents one file may hold, before any is built. It costs a second parse
// (about a quarter of validate's time on a 10,000-peer repository).
#pragma once

#include <optional>
#include <string>

#include "reconciler/diag/diagnostic.h"

namespace pkiform {

// The place the parser would loop at (an error), or the document past the
// limit, or nullopt. Throws YAML::Exception where LoadAll would.
std::optional<Diagnostic> ProbeDocuments(const std::string& text, const std::string& file);

}  // namespace pkiform
