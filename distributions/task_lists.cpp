// Named task lists, selectable in configs as "@name".

#include <algorithm>

#include "distributions/catalog.hpp"

namespace mib {

std::vector<std::pair<std::string, std::vector<std::string>>> builtin_task_lists() {
  // bmi v1: the 40 tasks of the Beyond Normal paper, in bmi's order
  // (src/bmi/benchmark/task_list.py; its workflows/benchmark/v1 config omits 1v1-additive-0.1).
  std::vector<std::string> v1 = {"1v1-normal-0.75",
                                 "normal_cdf-1v1-normal-0.75",
                                 "1v1-additive-0.1",
                                 "1v1-additive-0.75",
                                 "1v1-bimodal-0.75",
                                 "wiggly-1v1-normal-0.75",
                                 "half_cube-1v1-normal-0.75",
                                 "student-identity-1-1-1",
                                 "asinh-student-identity-1-1-1",
                                 "swissroll_x-normal_cdf-1v1-normal-0.75"};
  for (const char* d : {"2", "3", "5", "25", "50"}) {
    v1.push_back(std::string("multinormal-dense-") + d + "-" + d + "-0.5");
  }
  for (const char* d : {"2", "3", "5", "25"}) {
    v1.push_back(std::string("multinormal-sparse-") + d + "-" + d + "-2-2.0");
  }
  for (const char* s : {"2-2-1", "2-2-2", "3-3-2", "3-3-3", "5-5-2", "5-5-3"}) {
    v1.push_back(std::string("student-identity-") + s);
  }
  for (const char* prefix : {"normal_cdf-", "half_cube-", "spiral-", "spiral-normal_cdf-"}) {
    for (const char* d : {"3", "5", "25"}) {
      v1.push_back(std::string(prefix) + "multinormal-sparse-" + d + "-" + d + "-2-2.0");
    }
  }
  for (const char* s : {"2-2-1", "3-3-2", "5-5-2"}) {
    v1.push_back(std::string("asinh-student-identity-") + s);
  }

  // bmi v2: the 26 tasks of workflows/benchmark/v2/config.py, in its order.
  const std::vector<std::string> v2 = {"1v1-additive-0.75",
                                       "asinh-student-identity-1-1-1",
                                       "1v1-X-0.9",
                                       "1v1-AI",
                                       "swissroll_x-normal_cdf-1v1-normal-0.75",
                                       "2v1-waves-12-5.0-3.0",
                                       "2v1-galaxy-0.5-3.0",
                                       "3v1-concentric_gaussians-5",
                                       "5v1-concentric_gaussians-5",
                                       "3v1-concentric_gaussians-10",
                                       "5v1-concentric_gaussians-10",
                                       "25v1-concentric_gaussians-5",
                                       "multinormal-dense-5-5-0.5",
                                       "multinormal-dense-25-25-0.5",
                                       "multinormal-dense-50-50-0.5",
                                       "multinormal-sparse-5-5-2-2.0",
                                       "multinormal-sparse-25-25-2-2.0",
                                       "mult-sparse-w-inliers-5-5-2-2.0-0.2",
                                       "mult-sparse-w-inliers-25-25-2-2.0-0.2",
                                       "mult-sparse-w-inliers-5-5-2-2.0-0.5",
                                       "mult-sparse-w-inliers-25-25-2-2.0-0.5",
                                       "asinh-student-identity-2-2-1",
                                       "asinh-student-identity-3-3-2",
                                       "asinh-student-identity-5-5-2",
                                       "spiral-multinormal-sparse-3-3-2-2.0",
                                       "spiral-multinormal-sparse-5-5-2-2.0"};

  // Poole et al. 2019's staircase at d = 20, plain and cubic.
  std::vector<std::string> staircase;
  for (const char* prefix : {"", "cubic-"}) {
    for (const char* mi : {"2.0", "4.0", "6.0", "8.0", "10.0"}) {
      staircase.push_back(std::string(prefix) + "staircase-20-" + mi);
    }
  }

  std::vector<std::string> discrete = {"discrete-uniform-mixture-5",
                                       "zero-inflated-poissonization-0.15"};
  // classic: every task above once, in this order (configs/full.json).
  std::vector<std::string> all;
  for (const std::vector<std::string>* list :
       std::initializer_list<const std::vector<std::string>*>{&v1, &v2, &staircase, &discrete})
    for (const auto& id : *list)
      if (std::find(all.begin(), all.end(), id) == all.end()) all.push_back(id);
  return {
      {"bmi-v1", v1},
      {"bmi-v2", v2},
      {"staircase", staircase},
      {"discrete-continuous", discrete},
      {"classic", all},
      {"ssl",
       {"multiview-16-4-4-0-0.9-0.1-2-0", "multiview-64-4-4-2-0.8-0.3-3-1",
        "multiview-256-8-8-0-0.9-0.1-2-2", "noisy-encoder-10-10-1-0.5-0-0",
        "noisy-encoder-10-10-3-0.5-0-0", "noisy-encoder-10-10-3-0.1-0-0",
        "digit-pairs-1-10-0.1-8.0", "digit-pairs-2-10-0.1-8.0"}},
      // Rendered latents (distributions/images.hpp): 256 and 1024 pixels per view, MI from
      // 0.5 to 10 nats.
      {"images",
       {"image-blobs-16-2-0.5", "image-blobs-32-2-2.0", "image-blobs-32-4-4.0",
        "image-rectangles-16-4-1.0", "image-rectangles-32-4-4.0", "image-rectangles-32-2-10.0"}},
      // With a conditioning variable Z (distributions/conditional.hpp): the truth is
      // I(X; Y | Z), or a transfer entropy.
      {"cmi",
       {"cmi-chain-1-0.8", "cmi-common-1-0.8-0.5", "cmi-collider-1-0.8", "cmi-common-3-0.6-1.0",
        "cmi-zdim-1-0.5", "cmi-zdim-5-0.5", "cmi-zdim-20-0.5", "cmi-zdim-50-0.5",
        "half_cube-cmi-common-1-0.8-0.5", "asinh-cmi-collider-1-0.8",
        "normal_cdf-cmi-common-3-0.6-1.0", "cmi-discrete-z-4-0.8", "te-var-xy-1-0.5",
        "te-var-xy-2-0.5", "te-var-yx-2-0.5"}}};
}

}  // namespace mib
