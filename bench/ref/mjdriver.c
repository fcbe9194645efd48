/*
 * Small MuJoCo driver for bench/physics.ts and fidelity checks (libmujoco-dev 2.2.2).
 *   mjdriver model.xml policy steps frameskip [seconds]
 *   policy: zero | gait | random | gaitp   (gait = simulate.ts's ANT_GAIT / hopper pattern;
 *   gaitp freq psi a1 a2 a3 a4: the ant gait family ANT_GAIT was picked from)
 * Mirrors the Rapier envs: starts from qpos0 with ant ankles at their nearest limit (+-30 deg),
 * random actions reset on Gym's termination (ant: z outside [0.2, 1]; hopper: z <= 0.7 or
 * |angle| >= 0.2). Prints one JSON line.
 * Build: gcc -O2 mjdriver.c -lmujoco -lm -o mjdriver
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mujoco/mujoco.h>

static unsigned long long rs = 88172645463325252ULL;
static double urand(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return (double)(rs >> 11) / 9007199254740992.0; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

int main(int argc, char** argv) {
  if (argc < 5) { fprintf(stderr, "usage: mjdriver model.xml zero|gait|random steps frameskip\n"); return 2; }
  char err[1000] = "";
  mjModel* m = mj_loadXML(argv[1], 0, err, sizeof err);
  if (!m) { fprintf(stderr, "%s\n", err); return 1; }
  mjData* d = mj_makeData(m);
  const char* policy = argv[2];
  long steps = atol(argv[3]);
  int fs = atoi(argv[4]);
  int ant = m->nu == 8;
  double dt = m->opt.timestep * fs;
  #define RESET() do { mj_resetData(m, d); if (ant) { d->qpos[8] = 0.5236; d->qpos[10] = -0.5236; d->qpos[12] = -0.5236; d->qpos[14] = 0.5236; } mj_forward(m, d); } while (0)
  RESET();
  double x0 = d->qpos[0], zmin = 1e9, zmax = -1e9, maxviol = 0, sumv = 0;
  long episodes = 1, t = 0;
  double t0 = now();
  for (long i = 0; i < steps; i++, t++) {
    double time = t * dt;
    for (int k = 0; k < m->nu; k++) d->ctrl[k] = 0;
    if (!strcmp(policy, "random")) for (int k = 0; k < m->nu; k++) d->ctrl[k] = 2 * urand() - 1;
    else if (!strcmp(policy, "gaitp") && ant) {
      /* gaitp: argv[5..] = freq psi a1 a2 a3 a4 (hip_k = sin(w t + a_k), ankle_k = s_k sin(w t + a_k + psi)) */
      double w = 2 * M_PI * atof(argv[5]), psi = atof(argv[6]);
      int hip[4] = {2, 4, 6, 0}, ank[4] = {3, 5, 7, 1};
      for (int k = 0; k < 4; k++) {
        double a = atof(argv[7 + k]);
        d->ctrl[hip[k]] = sin(w * time + a);
        d->ctrl[ank[k]] = ((k == 0 || k == 3) ? 1 : -1) * sin(w * time + a + psi);
      }
    }
    else if (!strcmp(policy, "gait") && ant) {
      /* simulate.ts ANT_GAIT: freq 2, ankle phase pi/2, hip phases 0, pi, pi/2, pi/2 (legs 1..4) */
      double w = 2 * M_PI * 2.0, hp[4] = {0, M_PI, M_PI / 2, M_PI / 2};
      int hip[4] = {2, 4, 6, 0}, ank[4] = {3, 5, 7, 1};
      for (int k = 0; k < 4; k++) {
        double ph = w * time + hp[k];
        d->ctrl[hip[k]] = sin(ph);
        d->ctrl[ank[k]] = ((k == 0 || k == 3) ? 1 : -1) * sin(ph + M_PI / 2);
      }
    } else if (!strcmp(policy, "gait")) {
      double w = 2 * M_PI * 1.5;
      for (int k = 0; k < 3; k++) d->ctrl[k] = 0.5 * sin(w * time + k);
    }
    if (i == 40 && strcmp(policy, "random")) x0 = d->qpos[0]; /* gait speed after a 2 s warm-up */
    double xb = d->qpos[0];
    for (int s = 0; s < fs; s++) mj_step(m, d);
    sumv += (d->qpos[0] - xb) / dt;
    double z = ant ? d->qpos[2] : d->qpos[1];
    if (z < zmin) zmin = z;
    if (z > zmax) zmax = z;
    for (int j = 0; j < m->njnt; j++) {
      if (!m->jnt_limited[j] || m->jnt_type[j] != mjJNT_HINGE) continue;
      double q = d->qpos[m->jnt_qposadr[j]], lo = m->jnt_range[2 * j], hi = m->jnt_range[2 * j + 1];
      double v = q < lo ? lo - q : q > hi ? q - hi : 0;
      if (v > maxviol) maxviol = v;
    }
    int done = ant ? (z < 0.2 || z > 1.0) : (z <= 0.7 || fabs(d->qpos[2]) >= 0.2);
    if (!strcmp(policy, "random") && done) { RESET(); episodes++; t = -1; }
  }
  double wall = now() - t0;
  printf("{\"steps\":%ld,\"episodes\":%ld,\"finalX\":%.4f,\"meanForwardVelocity\":%.4f,\"finalZ\":%.4f,\"minZ\":%.4f,\"maxZ\":%.4f,\"maxJointLimitViolation\":%.4f,\"envStepsPerSec\":%.1f}\n",
         steps, episodes, d->qpos[0] - x0, sumv / steps, ant ? d->qpos[2] : d->qpos[1], zmin, zmax, maxviol, steps / wall);
  mj_deleteData(d);
  mj_deleteModel(m);
  return 0;
}
