// LMI (estimators/lmi.hpp): the autoencoders' hand-written gradient against finite differences
// (dropout included), the estimate as the mean of its pointwise terms, and where it works.
#include "estimators/lmi.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "check.hpp"
#include "core/error.hpp"
#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "estimators/neural/lmi_model.hpp"
#include "estimators/neural/protocol.hpp"
#include "estimators/spec.hpp"
#include "test_data.hpp"

using Catch::Matchers::Contains;

TEST_CASE("lmi: the model's gradient equals central differences of its loss", "[estimators][lmi]") {
  // float64, small shapes; α and λ other than 1 so each term's weight is checked; the same
  // engine state for every evaluation, so the dropout masks are the same.
  mib::LmiParams p;
  p.hidden = {5, 4};
  p.latent = 2;
  p.alpha = 0.7;
  p.lambda = 1.3;
  for (double dropout : {0.0, 0.5}) {
    CAPTURE(dropout);
    p.dropout = dropout;
    const auto s = mib::test::correlated(7, 3, 2, 0.6, 4);
    std::vector<double> x(s.x.data(), s.x.data() + s.x.size()),
        y(s.y.data(), s.y.data() + s.y.size());
    mib::Rng init(1);
    mib::neural::AeCross<double> model(p, 3, 2, init);
    auto& theta = model.params();
    // Biases start at 0, and a row whose inputs dropout zeroes would then sit exactly on the
    // leaky ReLU's kink, where the difference quotient is not the derivative: move off it.
    for (std::size_t i = 0; i < theta.size(); ++i)
      theta[i] += 0.05 * (static_cast<double>(i % 7) - 3.5);
    const auto loss = [&](double* grad) {
      mib::Rng masks(9);
      return model.loss(x.data(), y.data(), 7, &masks, grad);
    };
    std::vector<double> grad(theta.size(), 0.0);
    const double at = loss(grad.data());
    CHECK(at > 0);
    double worst = 0;
    for (std::size_t i = 0; i < theta.size(); ++i) {
      const double keep = theta[i], h = 1e-6;
      theta[i] = keep + h;
      const double up = loss(nullptr);
      theta[i] = keep - h;
      const double down = loss(nullptr);
      theta[i] = keep;
      worst =
          std::max(worst, std::abs((up - down) / (2 * h) - grad[i]) / (1e-4 + std::abs(grad[i])));
    }
    CHECK(worst < 1e-5);
    // Validation mode (no engine): no dropout, so the loss is deterministic and differs from
    // the training loss only when dropout is on.
    const double eval = model.loss(x.data(), y.data(), 7, nullptr, nullptr);
    CHECK((dropout == 0 ? eval == at : eval != at));
  }
}

TEST_CASE("lmi: the estimate is the mean of the held-out rows' pointwise terms",
          "[estimators][lmi]") {
  const auto e = mib::resolve(
      mib::parse_spec(std::string("lmi:hidden=[16],latent=2,epochs=20,lr=0.003,batch=32,"
                                  "pointwise=true"),
                      "test"),
      mib::builtin_estimators(), "test");
  const auto s = mib::test::correlated(201, 2, 2, 0.8, 5);
  mib::Rng rng(2);
  const mib::Estimate r = e.estimator->estimate(s.x, s.y, rng);
  const auto pmi = r.info.at("pmi").get<std::vector<double>>();
  const auto rows = r.info.at("pmi_rows").get<std::vector<int>>();
  REQUIRE(pmi.size() == 101);  // n − ⌊0.5 n⌋ held out
  REQUIRE(rows.size() == pmi.size());
  CHECK(std::set<int>(rows.begin(), rows.end()).size() == rows.size());
  CHECK(*std::min_element(rows.begin(), rows.end()) >= 0);
  CHECK(*std::max_element(rows.begin(), rows.end()) < 201);
  double mean = 0;
  for (double v : pmi) mean += v / static_cast<double>(pmi.size());
  CHECK(mean == Approx(r.mi).margin(1e-12));
  // The training record: one validation loss per epoch run, the best among them kept.
  const auto val = r.info.at("validation_loss").get<std::vector<double>>();
  CHECK(val.size() == r.info.at("epochs").get<std::size_t>());
  CHECK(r.info.at("train_loss").size() == val.size());
  const auto best = r.info.at("best_epoch").get<std::size_t>();
  CHECK(val[best - 1] == *std::min_element(val.begin(), val.end()));
  // Without `pointwise` the info stays small.
  const auto plain = mib::resolve(mib::parse_spec(std::string("lmi:hidden=[16],epochs=2"), "t"),
                                  mib::builtin_estimators(), "t");
  mib::Rng rng2(2);
  CHECK_FALSE(plain.estimator->estimate(s.x, s.y, rng2).info.contains("pmi"));
}

TEST_CASE("lmi: the paper's widths, and given ones", "[estimators][lmi]") {
  using mib::neural::encoder_widths;
  mib::LmiParams p;
  CHECK(encoder_widths(p, 64) == std::vector<int>{64, 1024, 512, 256, 8});
  CHECK(encoder_widths(p, 2048) == std::vector<int>{2048, 1024, 512, 256, 8});
  // Above 2048 inputs: the largest power of two <= d.
  CHECK(encoder_widths(p, 3000) == std::vector<int>{3000, 2048, 1024, 512, 8});
  p.hidden = {32, 16};
  p.latent = 2;
  CHECK(encoder_widths(p, 5) == std::vector<int>{5, 32, 16, 2});
}

TEST_CASE("lmi: Adam's epsilon is the one given (lmi's 1e-7; 1e-8 by default)",
          "[estimators][lmi]") {
  // One step from zero moments: θ − lr · g / (|g| + ε), so ε shows in the result when |g| is
  // of its order.
  const std::vector<double> grad = {1e-7, -3e-7, 2.0};
  const auto step = [&](double eps, bool given) {
    std::vector<double> theta = {1.0, 1.0, 1.0};
    auto adam = given ? mib::neural::Adam<double>(3, 0.1, eps) : mib::neural::Adam<double>(3, 0.1);
    adam.step(theta, grad);
    return theta;
  };
  CHECK(step(1e-8, true) == step(0, false));  // the default, bit for bit
  const auto wide = step(1e-7, true), narrow = step(1e-8, true);
  CHECK(wide[0] == Approx(1 - 0.1 * 1e-7 / (1e-7 + 1e-7)).epsilon(1e-9));
  CHECK(narrow[0] == Approx(1 - 0.1 * 1e-7 / (1e-7 + 1e-8)).epsilon(1e-9));
  CHECK(wide[2] == Approx(narrow[2]).epsilon(1e-6));
}

TEST_CASE("lmi: training that diverges is an error naming it, not a number", "[estimators][lmi]") {
  const auto e = mib::resolve(mib::parse_spec(std::string("lmi:hidden=[8],lr=1e30,epochs=3"), "t"),
                              mib::builtin_estimators(), "t");
  const auto s = mib::test::correlated(200, 2, 2, 0.8, 6);
  mib::Rng rng(1);
  MIB_CHECK_THROWS(e.estimator->estimate(s.x, s.y, rng), mib::DataError,
                   Contains("lmi: the validation loss must be finite at some epoch, but is "
                            "never finite (training diverged"));
}

TEST_CASE("lmi: parameters are checked and the minimum n holds k + 1 held-out rows",
          "[estimators][lmi]") {
  const auto& r = mib::builtin_estimators();
  MIB_CHECK_THROWS(r.at("lmi", "t").make({{"latent", 0}}, "cfg"), mib::Error,
                   Contains("latent must be an integer in [1, 256]"));
  MIB_CHECK_THROWS(r.at("lmi", "t").make({{"dropout", 1.0}}, "cfg"), mib::Error,
                   Contains("dropout must be in [0, 1)"));
  MIB_CHECK_THROWS(r.at("lmi", "t").make({{"hidden", {8, 0}}}, "cfg"), mib::Error,
                   Contains("hidden must be a list of widths >= 1"));
  CHECK(r.at("lmi", "t").make({{"k", 3}}, "t")->min_samples() == 7);  // 3 train, 4 held out
  CHECK(r.at("lmi", "t").make({{"k", 3}, {"split", 0.9}}, "t")->min_samples() ==
        31);  // 27 train, 4 held out
}

TEST_CASE(
    "lmi: closer than KSG on the raw data on a 256 + 256-dimensional multi-view task with "
    "4 latent dimensions",
    "[.neural-statistical][neural-statistical][lmi]") {
  // multiview-256-2-2-0-0.9-0.1-0-0: true MI 1.0668 nats carried by 2 content dimensions of a
  // 4-dimensional latent per view, lifted linearly to 256 dimensions with noise; n = 4000,
  // seed 3. Measured (this build, fixed seeds, so these are the values): KSG on the raw views
  // 0.841 (error 0.23), LMI with smaller networks than the paper's (so the check takes
  // seconds) 0.960 (error 0.11; hidden [256, 128, 64] with lr 3e-4 gave 0.953 in 56 s). Both lie
  // below the truth: KSG from the dimension, LMI by data processing through its codes.
  const auto task = mib::builtin_catalog().find("multiview-256-2-2-0-0.9-0.1-0-0", "test");
  mib::Rng draw(3);
  const mib::Sample s = task.distribution->sample(4000, draw);
  const double truth = task.distribution->mutual_information().mi;
  const auto estimate = [&](const char* spec) {
    const auto e =
        mib::resolve(mib::parse_spec(std::string(spec), "test"), mib::builtin_estimators(), "test");
    mib::Rng rng(1);
    return e.estimator->estimate(s.x, s.y, rng).mi;
  };
  const double ksg = estimate("ksg");
  const double lmi = estimate("lmi:hidden=[128,64,32],lr=0.001,batch=128,patience=20");
  CAPTURE(truth, ksg, lmi);
  CHECK(truth - ksg > 0.15);
  CHECK(std::abs(lmi - truth) < 0.15);
  CHECK(std::abs(lmi - truth) < truth - ksg - 0.05);
}
