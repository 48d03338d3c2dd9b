#include "core/json_depth.h"

#include <cstddef>

#include "core/check.h"

namespace nnplay {

void check_json_depth(const std::string& text, int max_depth, const std::string& what) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character cannot end the string
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      NNPLAY_CHECK(++depth <= max_depth, what << " nests arrays/objects deeper than " << max_depth
                                              << " levels (at character " << i << "); a spec needs only a few levels");
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;  // unbalanced brackets are the parser's to report
    }
  }
}

}  // namespace nnplay
