import numpy as np
from scipy import stats, optimize
P=np.array([0,10,12.5,15,17.5,20.0])
def diff(scale,g,t): return (g-t) if scale=='steps' else P[g]-P[t]
# DL with family fixed effects
def dl(families):
    fam=[f for f in families if len(f)>=2]
    Q=0;df=0;c=0
    for f in fam:
        y=np.array([a for a,_ in f]); v=np.array([b for _,b in f]); w=1/v
        m=(w*y).sum()/w.sum(); Q+=(w*(y-m)**2).sum(); df+=len(f)-1; c+=w.sum()-(w**2).sum()/w.sum()
    tau2=max(0,(Q-df)/c)
    def Qg(t2):
        q=0
        for f in fam:
            y=np.array([a for a,_ in f]); v=np.array([b for _,b in f]); w=1/(v+t2)
            m=(w*y).sum()/w.sum(); q+=(w*(y-m)**2).sum()
        return q
    def solve(target):
        if Qg(0)<=target: return 0.0
        return optimize.brentq(lambda t: Qg(t)-target, 0, 1e6, xtol=1e-14)
    return tau2, solve(stats.chi2.ppf(0.975,df)), solve(stats.chi2.ppf(0.025,df)), Q, df
fams=[[(1.2,.25),(-.4,.16),(.8,.36)],[(2.5,.81),(.1,.09)],[(0.3,0.2)]]
print('pooled', dl(fams))
print('single', dl([[(1.2,.25),(-.4,.16),(.8,.36),(2.5,.81),(.1,.09)]]))
print('chi2 ppf', stats.chi2.ppf(0.975,3), stats.chi2.ppf(0.025,3), stats.chi2.ppf(0.5,1), stats.chi2.ppf(0.99,40))
# Stuart-Maxwell pinv
def sm(M):
    M=np.array(M,float); k=len(M)
    d=M.sum(1)-M.sum(0)
    S=-(M+M.T); np.fill_diagonal(S,0); np.fill_diagonal(S,-S.sum(1))
    Sp=np.linalg.pinv(S); x=d@Sp@d; r=np.linalg.matrix_rank(S)
    return x,r,stats.chi2.sf(x,r) if r>0 else 1
print('sm disc', sm([[4,2,0],[1,5,0],[0,0,6]]))
print('sm 6', sm([[5,3,0,0,0,0],[1,12,0,0,0,0],[0,0,20,4,0,0],[0,0,9,25,0,0],[0,0,0,0,14,3],[0,0,0,0,1,6]]))
# Clopper-Pearson
for b,m in [(7,8),(1,8),(10,12),(0,5),(5,5),(3,20)]:
    ci=stats.binomtest(b,m).proportion_ci(confidence_level=0.95,method='exact')
    p=stats.binomtest(b,m,0.5).pvalue
    print('cp',b,m,repr(ci.low),repr(ci.high),'p',repr(p))
