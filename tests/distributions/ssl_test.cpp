// The SSL families: MI by independent routes, invertible networks, parameter errors.
#include "distributions/ssl.hpp"

#include <boost/random/normal_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "check.hpp"
#include "core/text.hpp"
#include "distributions/catalog.hpp"
#include "distributions/digits.hpp"
#include "estimators/builtin.hpp"
#include "estimators/spec.hpp"

namespace {
double gaussian_fit(const mib::Sample& s) {
  const auto g = mib::resolve(mib::parse_spec(std::string("gaussian"), "test"),
                              mib::builtin_estimators(), "test");
  mib::Rng unused(1);
  return g.estimator->estimate(s.x, s.y, unused).mi;
}
}  // namespace

TEST_CASE("ssl: invertible networks are inverted to 1e-9 at every width and depth",
          "[distributions][ssl]") {
  for (int dim : {1, 3, 16, 128}) {
    for (int depth : {1, 3}) {
      const auto net = mib::invertible_network(dim, depth, 5);
      mib::Rng rng(2);
      boost::random::normal_distribution<double> normal;
      mib::Matrix v(50, dim);
      for (Eigen::Index i = 0; i < v.size(); ++i) v.data()[i] = 2 * normal(rng);
      const mib::Matrix w = net->forward(v);
      CAPTURE(dim, depth);
      CHECK((net->inverse(w) - v).cwiseAbs().maxCoeff() < 1e-9);
      CHECK((w - v).cwiseAbs().maxCoeff() > 0.1);  // it does change the data
    }
  }
}

TEST_CASE("ssl: the multi-view MI equals a Gaussian fit in the ambient space (no networks)",
          "[distributions][ssl]") {
  // Independent route: the closed form works in the k-dim projected latents; a Gaussian fit
  // of (u₁, u₂) in all 16 + 16 ambient dimensions at n = 200 000 must agree. The fit's sd
  // there is below 0.005 and its bias about dx·dy/(2n) = 0.0006; tolerance 0.03.
  for (const char* id : {"multiview-16-4-4-0-0.9-0.1-0-0", "multiview-16-3-4-2-0.7-0.5-0-3"}) {
    const mib::Task t = mib::builtin_catalog().find(id, "test");
    mib::Rng rng(4);
    const double fit = gaussian_fit(t.distribution->sample(200000, rng));
    CAPTURE(id, fit, t.distribution->mutual_information().mi);
    CHECK(fit == Approx(t.distribution->mutual_information().mi).margin(0.03));
  }
}

TEST_CASE("ssl: the networks change the samples but not the MI or the PMI",
          "[distributions][ssl]") {
  const auto plain = mib::builtin_catalog().find("multiview-16-4-4-0-0.9-0.1-0-0", "test");
  const auto deep = mib::builtin_catalog().find("multiview-16-4-4-0-0.9-0.1-3-0", "test");
  CHECK(plain.distribution->mutual_information().mi == deep.distribution->mutual_information().mi);
  mib::Rng a(1), b(1);
  const mib::Sample sp = plain.distribution->sample(100, a), sd = deep.distribution->sample(100, b);
  CHECK((sp.x - sd.x).cwiseAbs().maxCoeff() > 0.1);
  // Same latent draws: the deep sample's PMI (through the inverse networks) is the plain one.
  const auto pp = plain.distribution->pmi(sp), pd = deep.distribution->pmi(sd);
  REQUIRE(pp);
  REQUIRE(pd);
  CHECK((*pp - *pd).cwiseAbs().maxCoeff() < 1e-8);
}

TEST_CASE("ssl: the noisy encoder loses information along the stack and with noise",
          "[distributions][ssl]") {
  auto mi = [](const std::string& id) {
    return mib::builtin_catalog().find(id, "test").distribution->mutual_information().mi;
  };
  CHECK(mi("noisy-encoder-10-10-2-0.5-0-0") <
        mi("noisy-encoder-10-10-1-0.5-0-0"));  // data processing
  CHECK(mi("noisy-encoder-10-10-3-0.5-0-0") < mi("noisy-encoder-10-10-2-0.5-0-0"));
  CHECK(mi("noisy-encoder-10-10-1-1.0-0-0") < mi("noisy-encoder-10-10-1-0.5-0-0"));
  // Independent route: a Gaussian fit of (X, Z_l) at n = 200 000 (sd < 0.005, bias 0.00006).
  const auto t = mib::builtin_catalog().find("noisy-encoder-6-4-2-0.3-0-1", "test");
  mib::Rng rng(3);
  CHECK(gaussian_fit(t.distribution->sample(200000, rng)) ==
        Approx(t.distribution->mutual_information().mi).margin(0.02));
}

TEST_CASE("ssl: the noisy encoder's output activations keep X, the MI and the PMI",
          "[distributions][ssl]") {
  const auto plain = mib::builtin_catalog().find("noisy-encoder-6-4-2-0.3-0-1", "test");
  const auto active = mib::builtin_catalog().find("noisy-encoder-6-4-2-0.3-2-1", "test");
  CHECK(active.distribution->mutual_information().mi ==
        plain.distribution->mutual_information().mi);
  mib::Rng a(5), b(5);
  const mib::Sample sp = plain.distribution->sample(200, a),
                    sa = active.distribution->sample(200, b);
  CHECK(sa.x == sp.x);                                // X untouched
  CHECK((sa.y - sp.y).cwiseAbs().maxCoeff() > 0.05);  // Y = g(Z_l) is not Z_l
  const auto pp = plain.distribution->pmi(sp), pa = active.distribution->pmi(sa);
  REQUIRE(pp);
  REQUIRE(pa);
  CHECK((*pp - *pa).cwiseAbs().maxCoeff() < 1e-8);  // through g⁻¹: the same PMI
}

TEST_CASE("ssl: bad parameters are refused with the parameter's name", "[distributions][ssl]") {
  const auto& c = mib::builtin_catalog();
  MIB_CHECK_THROWS(c.make("multiview", {{"dim", 4}, {"content", 4}, {"style", 4}}, "cfg"),
                   mib::InvalidArgument,
                   Catch::Contains("ambient dimension must be >= content + style"));
  MIB_CHECK_THROWS(c.make("multiview", {{"shared", 5}}, "cfg"), mib::InvalidArgument,
                   Catch::Contains("shared must be in [0, style]"));
  MIB_CHECK_THROWS(c.make("multiview", {{"sigma", 0}}, "cfg"), mib::ConfigError,
                   Catch::Contains("sigma"));
  MIB_CHECK_THROWS(c.make("noisy-encoder", {{"layer", 0}}, "cfg"), mib::ConfigError,
                   Catch::Contains("layer"));
}

TEST_CASE("ssl: digit pairs tend to the labels' MI as the noise vanishes, and to 0 in noise",
          "[distributions][ssl]") {
  const auto& c = mib::builtin_catalog();
  // K = 10, p = 0.1: ln 10 − H_b(0.1) − 0.1 ln 9 = 2.302585 − 0.325083 − 0.219722 = 1.757780 nats
  // per cell.
  const auto clear = c.find("digit-pairs-1-10-0.1-0.5", "test");
  const auto& law = dynamic_cast<const mib::DigitPairs&>(*clear.distribution);
  CHECK(law.label_mi() == Approx(1.757780).epsilon(1e-6));
  const mib::GroundTruth t = law.mutual_information();
  CAPTURE(t.mi, t.std_error);
  CHECK(t.std_error > 0);
  CHECK(std::abs(t.mi - law.label_mi()) < 4 * t.std_error);
  // c cells: c times one cell (the cells are independent).
  const auto three = c.find("digit-pairs-3-10-0.1-0.5", "test");
  CHECK(three.distribution->mutual_information().mi == Approx(3 * t.mi).epsilon(1e-12));
  CHECK(three.distribution->dims().x == 192);
  // Heavy noise washes the images out.
  CHECK(c.find("digit-pairs-1-10-0.1-40.0", "test").distribution->mutual_information().mi < 0.05);
  // Data processing in the channel: a noisier channel carries less.
  CHECK(c.find("digit-pairs-1-4-0.5-2.0", "test").distribution->mutual_information().mi <
        c.find("digit-pairs-1-4-0.1-2.0", "test").distribution->mutual_information().mi);
  MIB_CHECK_THROWS(c.make("digit-pairs", {{"classes", 11}}, "cfg"), mib::ConfigError,
                   Catch::Contains("classes"));
}

TEST_CASE("ssl: the stored digit-pair truths are the Monte Carlo means they stand for, bit for bit",
          "[distributions][ssl][.statistical][statistical]") {
  for (double sigma : {4.0, 8.0, 16.0}) {
    const mib::DigitPairs d(1, 10, 0.1, sigma, "test");
    const mib::GroundTruth computed = d.monte_carlo_cell_truth();
    // The values to store, when a change of sampling moves them on purpose.
    CAPTURE(sigma, mib::format_number(computed.mi), mib::format_number(computed.std_error));
    const auto stored = mib::DigitPairs::stored_cell_truth(10, 0.1, sigma);
    REQUIRE(stored);
    CHECK(stored->mi == computed.mi);
    CHECK(stored->std_error == computed.std_error);
  }
}
