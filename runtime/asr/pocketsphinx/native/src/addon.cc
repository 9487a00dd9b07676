// N-API addon over libpocketsphinx (5prealpha API as Debian ships it): one Decoder per engine
// instance. process() runs in a worker thread (Napi::AsyncWorker) so the hub's event loop never
// waits on the decoder; calls on one decoder are serialised by the JavaScript wrapper.
//
// Each utterance starts a new stream from the model's own cepstral mean (its -cmninit), not from what the
// front end and the live CMN learned on the utterances before, so the same clip gives the same text
// whatever came before it.
// {cmn: "batch"} with process(samples, true) decodes a whole utterance at once with the utterance's own mean.
// prime(samples) starts the live mean from the mean of the utterance's own opening audio instead.
#include <napi.h>
#include <pocketsphinx.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/ckd_alloc.h>
#include <string>
#include <vector>

// Exported by libpocketsphinx but not in Debian's public headers: the text model definition that sphinxtrain's bw
// reads is written from the model's binary one (as pocketsphinx_mdef_convert does).
extern "C" {
typedef struct bin_mdef_s bin_mdef_t;
bin_mdef_t* bin_mdef_read(cmd_ln_t* config, const char* filename);
int bin_mdef_write_text(bin_mdef_t* m, const char* filename);
int bin_mdef_free(bin_mdef_t* m);
}

namespace {
// `mean`: a household's adapted Gaussian means (hearth learn --voices) in place of the model's own; empty for none.
ps_decoder_t* makeDecoder(const std::string& hmm, const std::string& dict, const std::string& cmn, const std::string& mean) {
  cmd_ln_t* config = mean.empty()
    ? cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(),
                  "-logfn", "/dev/null", "-samprate", "16000", "-cmn", cmn.c_str(), nullptr)
    : cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(),
                  "-logfn", "/dev/null", "-samprate", "16000", "-cmn", cmn.c_str(), "-mean", mean.c_str(), nullptr);
  if (!config) return nullptr;
  ps_decoder_t* ps = ps_init(config);
  cmd_ln_free_r(config);
  return ps;
}

// The decoder's cepstral mean as the model starts it.
std::vector<mfcc_t> initialMean(ps_decoder_t* ps) {
  feat_t* f = ps_get_feat(ps);
  if (!f || !f->cmn_struct) return {};
  return std::vector<mfcc_t>(f->cmn_struct->cmn_mean, f->cmn_struct->cmn_mean + f->cmn_struct->veclen);
}

// A new stream resets what the front end learned of the channel (its noise estimate), the mean resets the CMN.
int startFresh(ps_decoder_t* ps, const std::vector<mfcc_t>& mean) {
  ps_start_stream(ps);
  feat_t* f = ps_get_feat(ps);
  if (f && f->cmn_struct && !mean.empty()) cmn_live_set(f->cmn_struct, mean.data());
  return ps_start_utt(ps);
}
}  // namespace

class Decoder : public Napi::ObjectWrap<Decoder> {
 public:
  static Napi::Object Init(Napi::Env env, Napi::Object exports) {
    Napi::Function fn = DefineClass(env, "Decoder", {
      InstanceMethod("setGrammar", &Decoder::SetGrammar),
      InstanceMethod("addWord", &Decoder::AddWord),
      InstanceMethod("lookupWord", &Decoder::LookupWord),
      InstanceMethod("start", &Decoder::Start),
      InstanceMethod("prime", &Decoder::Prime),
      InstanceMethod("process", &Decoder::Process),
      InstanceMethod("end", &Decoder::End),
      InstanceMethod("cepstra", &Decoder::Cepstra),
      StaticMethod("writeTextMdef", &Decoder::WriteTextMdef),
    });
    exports.Set("Decoder", fn);
    return exports;
  }

  explicit Decoder(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Decoder>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) { Napi::TypeError::New(env, "Decoder({hmm, dict})").ThrowAsJavaScriptException(); return; }
    Napi::Object o = info[0].As<Napi::Object>();
    std::string hmm = o.Get("hmm").ToString();
    std::string dict = o.Get("dict").ToString();
    std::string cmn = o.Has("cmn") ? o.Get("cmn").ToString().Utf8Value() : "live";
    std::string mean = o.Has("mean") && o.Get("mean").IsString() ? o.Get("mean").ToString().Utf8Value() : "";
    ps_ = makeDecoder(hmm, dict, cmn, mean);
    if (!ps_) { Napi::Error::New(env, "pocketsphinx: cannot load the acoustic model " + hmm + " with " + dict + (mean.empty() ? "" : " and means " + mean)).ThrowAsJavaScriptException(); return; }
    // A household's speaker adaptation (hearth learn --voices): an MLLR transform of the model's means.
    if (o.Has("mllr") && o.Get("mllr").IsString()) {
      std::string path = o.Get("mllr").ToString();
      ps_mllr_t* m = ps_mllr_read(path.c_str());
      if (!m || !ps_update_mllr(ps_, m)) { Napi::Error::New(env, "pocketsphinx: cannot apply the MLLR transform " + path).ThrowAsJavaScriptException(); return; }
    }
    mean_ = initialMean(ps_);
  }

  ~Decoder() override {
    if (fe_) fe_free(fe_);
    if (ps_) ps_free(ps_);
  }

  ps_decoder_t* ps() { return ps_; }

 private:
  ps_decoder_t* ps_ = nullptr;
  fe_t* fe_ = nullptr;  // a second front end with the decoder's settings, for prime(): the decoder's own stays untouched
  std::vector<mfcc_t> mean_;

  // The decoder's front end settings (the model's feat.params) applied to a whole clip: frames x ncep cepstra.
  std::vector<mfcc_t> cepstraOf(const int16* in, size_t nsamps, int32* frames) {
    *frames = 0;
    if (!fe_) fe_ = fe_init_auto_r(ps_get_config(ps_));
    if (!fe_) return {};
    int shift = 0, size = 0;
    fe_get_input_size(fe_, &shift, &size);
    int32 nframes = static_cast<int32>(nsamps / (shift > 0 ? shift : 160)) + 2;
    int ncep = fe_get_output_size(fe_);
    mfcc_t** cep = static_cast<mfcc_t**>(ckd_calloc_2d(nframes, ncep, sizeof(mfcc_t)));
    int32 got = nframes;
    fe_start_utt(fe_);
    fe_process_frames(fe_, &in, &nsamps, cep, &got, nullptr);
    int32 last = 0;
    if (got < nframes) fe_end_utt(fe_, cep[got], &last);
    else fe_end_utt(fe_, nullptr, &last);
    got += last;
    std::vector<mfcc_t> out(cep[0], cep[0] + static_cast<size_t>(got) * ncep);
    ckd_free_2d(cep);
    *frames = got;
    return out;
  }

  // prime(Int16Array): after start(), before the first process(): the live mean starts from these samples' mean
  // cepstrum (a fraction of a millisecond for a second of audio, so on the calling thread).
  Napi::Value Prime(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray()) { Napi::TypeError::New(env, "prime(Int16Array)").ThrowAsJavaScriptException(); return env.Undefined(); }
    Napi::Int16Array a = info[0].As<Napi::Int16Array>();
    feat_t* f = ps_get_feat(ps_);
    if (!f || !f->cmn_struct) return Napi::Boolean::New(env, false);
    int32 got = 0;
    std::vector<mfcc_t> cep = cepstraOf(a.Data(), a.ElementLength(), &got);
    int ncep = fe_ ? fe_get_output_size(fe_) : 0;
    bool ok = got > 0 && ncep == f->cmn_struct->veclen;
    if (ok) {
      std::vector<mfcc_t> m(ncep, 0);
      for (int32 t = 0; t < got; t++) for (int k = 0; k < ncep; k++) m[k] += cep[t * ncep + k];
      for (int k = 0; k < ncep; k++) m[k] /= got;
      cmn_live_set(f->cmn_struct, m.data());
    }
    return Napi::Boolean::New(env, ok);
  }

  // cepstra(Int16Array) -> {frames, ncep, data: Float32Array}: the features sphinxtrain's bw reads (no CMN applied).
  Napi::Value Cepstra(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray()) { Napi::TypeError::New(env, "cepstra(Int16Array)").ThrowAsJavaScriptException(); return env.Undefined(); }
    Napi::Int16Array a = info[0].As<Napi::Int16Array>();
    int32 got = 0;
    std::vector<mfcc_t> cep = cepstraOf(a.Data(), a.ElementLength(), &got);
    Napi::Float32Array data = Napi::Float32Array::New(env, cep.size());
    for (size_t i = 0; i < cep.size(); i++) data[i] = static_cast<float>(cep[i]);
    Napi::Object out = Napi::Object::New(env);
    out.Set("frames", Napi::Number::New(env, got));
    out.Set("ncep", Napi::Number::New(env, fe_ ? fe_get_output_size(fe_) : 0));
    out.Set("data", data);
    return out;
  }

  // Decoder.writeTextMdef(binaryMdef, textOut): the model definition as sphinxtrain reads it.
  static Napi::Value WriteTextMdef(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string in = info[0].ToString(), out = info[1].ToString();
    bin_mdef_t* m = bin_mdef_read(nullptr, in.c_str());
    if (!m) { Napi::Error::New(env, "pocketsphinx: cannot read the model definition " + in).ThrowAsJavaScriptException(); return env.Undefined(); }
    int rc = bin_mdef_write_text(m, out.c_str());
    bin_mdef_free(m);
    if (rc != 0) { Napi::Error::New(env, "pocketsphinx: cannot write " + out).ThrowAsJavaScriptException(); return env.Undefined(); }
    return env.Undefined();
  }

  Napi::Value SetGrammar(const Napi::CallbackInfo& info) {
    std::string name = info[0].ToString();
    std::string jsgf = info[1].ToString();
    if (ps_set_jsgf_string(ps_, name.c_str(), jsgf.c_str()) < 0) {
      Napi::Error::New(info.Env(), "pocketsphinx: the grammar does not compile").ThrowAsJavaScriptException();
      return info.Env().Undefined();
    }
    ps_set_search(ps_, name.c_str());
    return info.Env().Undefined();
  }

  Napi::Value AddWord(const Napi::CallbackInfo& info) {
    std::string word = info[0].ToString();
    std::string phones = info[1].ToString();
    return Napi::Number::New(info.Env(), ps_add_word(ps_, word.c_str(), phones.c_str(), FALSE));
  }

  Napi::Value LookupWord(const Napi::CallbackInfo& info) {
    std::string word = info[0].ToString();
    char* p = ps_lookup_word(ps_, word.c_str());
    if (!p) return info.Env().Null();
    Napi::String s = Napi::String::New(info.Env(), p);
    ckd_free(p);
    return s;
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), startFresh(ps_, mean_));
  }

  // process(Int16Array) -> Promise<string|null> (the partial hypothesis), on a worker thread.
  Napi::Value Process(const Napi::CallbackInfo& info);

  // end(nbest = 0) -> {text, score, confidence, nbest: [{text, score}], frames}. The n-best walks the
  // whole lattice (seconds with a garbage loop in the grammar), so it is asked for only when wanted.
  Napi::Value End(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint32_t want = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 0;
    ps_end_utt(ps_);
    int32 score = 0;
    const char* hyp = ps_get_hyp(ps_, &score);
    Napi::Object out = Napi::Object::New(env);
    out.Set("text", hyp ? Napi::String::New(env, hyp) : env.Null());
    out.Set("score", Napi::Number::New(env, score));
    logmath_t* lmath = ps_get_logmath(ps_);
    out.Set("confidence", Napi::Number::New(env, hyp ? logmath_exp(lmath, ps_get_prob(ps_)) : 0));
    out.Set("frames", Napi::Number::New(env, ps_get_n_frames(ps_)));
    // The best path word by word (fillers such as <sil> included): first and last frame, acoustic score.
    Napi::Array words = Napi::Array::New(env);
    uint32_t nw = 0;
    for (ps_seg_t* seg = hyp ? ps_seg_iter(ps_) : nullptr; seg; seg = ps_seg_next(seg)) {
      int sf = 0, ef = 0;
      int32 ascr = 0, lscr = 0, lback = 0;
      ps_seg_frames(seg, &sf, &ef);
      ps_seg_prob(seg, &ascr, &lscr, &lback);
      Napi::Object w = Napi::Object::New(env);
      w.Set("word", Napi::String::New(env, ps_seg_word(seg)));
      w.Set("startFrame", Napi::Number::New(env, sf));
      w.Set("endFrame", Napi::Number::New(env, ef));
      w.Set("score", Napi::Number::New(env, ascr));
      words.Set(nw++, w);
    }
    out.Set("words", words);
    Napi::Array nbest = Napi::Array::New(env);
    uint32_t n = 0;
    for (ps_nbest_t* it = want > 0 ? ps_nbest(ps_) : nullptr; it && n < want; it = ps_nbest_next(it)) {
      int32 s = 0;
      const char* h = ps_nbest_hyp(it, &s);
      if (!h) continue;
      Napi::Object e = Napi::Object::New(env);
      e.Set("text", Napi::String::New(env, h));
      e.Set("score", Napi::Number::New(env, s));
      nbest.Set(n++, e);
      if (n == want) { ps_nbest_free(it); break; }
    }
    out.Set("nbest", nbest);
    return out;
  }
};

class ProcessWorker : public Napi::AsyncWorker {
 public:
  ProcessWorker(Napi::Env env, Decoder* d, Napi::Object self, std::vector<int16> samples, bool full)
      : Napi::AsyncWorker(env), d_(d), self_(Napi::Persistent(self)), samples_(std::move(samples)), full_(full), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    if (ps_process_raw(d_->ps(), samples_.data(), samples_.size(), FALSE, full_) < 0) { SetError("pocketsphinx: process_raw failed"); return; }
    int32 score = 0;
    const char* h = ps_get_hyp(d_->ps(), &score);
    hasHyp_ = h != nullptr;
    if (h) hyp_ = h;
  }
  void OnOK() override { deferred_.Resolve(hasHyp_ ? Napi::String::New(Env(), hyp_) : Env().Null()); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }
 private:
  Decoder* d_;
  Napi::ObjectReference self_;  // keeps the decoder alive while the worker runs
  std::vector<int16> samples_;
  bool full_;
  std::string hyp_;
  bool hasHyp_ = false;
  Napi::Promise::Deferred deferred_;
};

Napi::Value Decoder::Process(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) { Napi::TypeError::New(env, "process(Int16Array)").ThrowAsJavaScriptException(); return env.Undefined(); }
  Napi::Int16Array a = info[0].As<Napi::Int16Array>();
  std::vector<int16> samples(a.Data(), a.Data() + a.ElementLength());
  bool full = info.Length() > 1 && info[1].ToBoolean().Value();
  auto* w = new ProcessWorker(env, this, info.This().As<Napi::Object>(), std::move(samples), full);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

Napi::Object InitAll(Napi::Env env, Napi::Object exports) { return Decoder::Init(env, exports); }
NODE_API_MODULE(pocketsphinx, InitAll)
