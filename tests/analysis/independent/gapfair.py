import numpy as np
from scipy import stats
P=np.array([0,10,12.5,15,17.5,20.0])
Z95=stats.norm.ppf(0.975); Z998=stats.norm.ppf(0.999)
data={
 'MA':{'S1':[(4,3,8),(3,3,7),(3,2,3),(2,2,5),(1,1,4),(0,1,1)],
       'S2':[(3,3,10),(2,3,4),(2,2,6),(1,2,3),(1,1,5),(0,1,2)],
       'S3':[(4,3,4),(3,3,6),(4,4,5),(3,4,2),(2,2,4),(1,0,3)]},
 'EN':{'S1':[(5,5,4),(4,4,6),(3,4,2),(3,3,8),(2,3,1)],
       'S2':[(4,4,3),(5,4,4),(4,3,5),(3,3,6),(2,2,3)],
       'S3':[(4,4,5),(3,3,9),(2,3,3),(2,2,4),(1,2,2)]}}
def table(tr):
    M=np.zeros((6,6))
    for g,t,n in tr: M[g,t]+=n
    return M
def d(scale,g,t): return (g-t) if scale=='steps' else P[g]-P[t]
def std(M,S,scale,sampling):
    n=0;obs=0;exp=0;var=0
    for t in range(6):
        m=S[:,t].sum()
        if m==0: continue
        nt=M[:,t].sum()
        if nt==0: continue
        diffs=np.array([d(scale,g,t) for g in range(6)])
        mu=(S[:,t]*diffs).sum()/m; s2=(S[:,t]*(diffs-mu)**2).sum()/m
        n+=nt; obs+=(M[:,t]*diffs).sum(); exp+=nt*mu; var+=nt*s2*((1+nt/m) if sampling else 1)
    return n,(obs-exp)/n,np.sqrt(var)/n
out={}
fams=[]
for subj,schools in data.items():
    T={k:table(v) for k,v in schools.items()}
    tot=sum(T.values())
    fam=[]
    for k,M in T.items():
        n,y,se=std(M,tot,'points',False); fam.append((y,se**2))
    fams.append(fam)
# DL pooled
Q=0;df=0;c=0
for f in fams:
    y=np.array([a for a,_ in f]); v=np.array([b for _,b in f]); w=1/v
    m=(w*y).sum()/w.sum(); Q+=(w*(y-m)**2).sum(); df+=len(f)-1; c+=w.sum()-(w**2).sum()/w.sum()
tau2=max(0,(Q-df)/c)
print('tau2',repr(tau2),'Q',repr(Q),'df',df)
for subj,schools in data.items():
    T={k:table(v) for k,v in schools.items()}
    tot=sum(T.values())
    for k,M in T.items():
        rest=tot-M
        n,y,se=std(M,rest,'points',True)
        ns,ys,ses=std(M,rest,'steps',True)
        others=[T[j].sum() for j in T if j!=k]; mm=sum(others)
        t2e=tau2*(1+sum((o/mm)**2 for o in others))
        sd=np.sqrt(se**2+t2e)
        B=t2e/(t2e+se**2)
        print(subj,k,'n',int(M.sum()),'std_n',int(n),'std_gap',repr(y),'se',repr(se),'steps',repr(ys),repr(ses),'z',repr(y/sd),'zc',repr(y/se),'lim95',repr(Z95*sd),'shrunk',repr(B*y))
