// Random edits of a request, for the fixed-seed fuzz runs that every build
// makes (tests/api/fuzz_*_test.cc): bytes flipped, inserted and erased,
// pieces of other requests spliced in, and words of a dictionary dropped
// at random places.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace exemplar::testing {

// `seed` with 1 to `max_edits` random edits drawn from `random`; spliced
// pieces come from `splices`, inserted words from `words` (may be empty).
inline std::string Mutate(const std::string& seed, std::mt19937& random,
                          const std::vector<std::string>& splices,
                          const std::vector<std::string>& words = {},
                          int max_edits = 8) {
  std::string mutated = seed;
  const int edits = 1 + static_cast<int>(random() % max_edits);
  for (int e = 0; e < edits; ++e) {
    const size_t at = random() % (mutated.size() + 1);
    switch (random() % (words.empty() ? 4 : 5)) {
      case 0:
        if (at < mutated.size()) mutated[at] = static_cast<char>(random());
        break;
      case 1:
        mutated.insert(at, 1, static_cast<char>(random()));
        break;
      case 2:
        mutated.erase(at, random() % 16);
        break;
      case 3: {
        const std::string& other = splices[random() % splices.size()];
        mutated.insert(at, other.substr(random() % (other.size() + 1), 64));
        break;
      }
      case 4:
        mutated.insert(at, words[random() % words.size()]);
        break;
    }
  }
  return mutated;
}

}  // namespace exemplar::testing
